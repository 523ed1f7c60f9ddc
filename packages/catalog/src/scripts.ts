/** Deletes KEYS[1] only while it still holds ARGV[1] (another record may have taken the key since). */
export const DEL_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The photo's number for the search index: the one on its record, or the next from the counter
 * (recorded on the record, in the number → id map and in its status's number set). 0 when the
 * record is gone.
 * KEYS: photo record, counter. ARGV: photo id, state prefix, bucket size.
 */
export const ASSIGN_SEQ = `
local n = redis.call('HGET', KEYS[1], 'seq')
if n then return tonumber(n) end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
n = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'seq', n)
local b = tonumber(ARGV[3])
redis.call('HSET', ARGV[2] .. ':photo-by-seq:' .. math.floor(n / b), tostring(n % b), ARGV[1])
redis.call('SADD', ARGV[2] .. ':search-status:' .. string.gsub(status, '"', ''), n)
return n`;

/**
 * Puts back a restored photo's number: the map entry and its status's number set, and the counter
 * moved past it (a Redis restored from an older backup must not hand the number out again).
 * KEYS: counter. ARGV: photo id, state prefix, bucket size, number, status.
 */
export const RESTORE_SEQ = `
local n = tonumber(ARGV[4])
if tonumber(redis.call('GET', KEYS[1]) or '0') < n then redis.call('SET', KEYS[1], n) end
local b = tonumber(ARGV[3])
redis.call('HSET', ARGV[2] .. ':photo-by-seq:' .. math.floor(n / b), tostring(n % b), ARGV[1])
redis.call('SADD', ARGV[2] .. ':search-status:' .. ARGV[5], n)
return n`;

/**
 * Photo ids of photo numbers (a page of search results), '' for a number no photo has now.
 * ARGV: state prefix, bucket size, numbers….
 */
export const IDS_OF_SEQS = `
local b = tonumber(ARGV[2])
local out = {}
for i = 3, #ARGV do
  local n = tonumber(ARGV[i])
  out[#out + 1] = redis.call('HGET', ARGV[1] .. ':photo-by-seq:' .. math.floor(n / b), tostring(n % b)) or ''
end
return out`;

/**
 * A search within one story: its photos (a gallery's worth) that are in every number set, into
 * the result sorted set by their score in the primary index (expires in 30 s).
 * KEYS: result, story set, primary, number sets…. ARGV: state prefix, '1' when the primary is keyed
 * by photo number (capture instants), '0' when by id.
 */
export const SEARCH_IN_STORY = `
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local n = redis.call('HGET', ARGV[1] .. ':photo:' .. id, 'seq')
  local score = false
  if n then
    if ARGV[2] == '1' then score = redis.call('ZSCORE', KEYS[3], n) else score = redis.call('ZSCORE', KEYS[3], id) end
  end
  local ok = score ~= false
  for i = 4, #KEYS do
    if not ok then break end
    ok = redis.call('SISMEMBER', KEYS[i], n) == 1
  end
  if ok then redis.call('ZADD', KEYS[1], score, id) end
end
redis.call('EXPIRE', KEYS[1], 30)
return 1`;
