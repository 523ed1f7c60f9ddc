import type { Redis } from 'ioredis';

/**
 * One atomic change of Lightbox state: checks that every key the decision was made from still
 * holds what was read (compare-and-set), then applies every write, in one Lua script. Nothing is
 * written when a check fails; the caller reads again and decides again.
 *
 * Every write to a photo record bumps its `rev`, so "the record is as I read it" is one check.
 * The by-status indexes (photo ids, and photo numbers for search) are kept in step with the
 * record's status by the script itself.
 */
const COMMIT_LUA = `
local plan = cjson.decode(ARGV[1])
local p = plan.p
for i, e in ipairs(plan.x) do
  local cur
  if e.f then cur = redis.call('HGET', KEYS[e.k], e.f) else cur = redis.call('GET', KEYS[e.k]) end
  if not cur then cur = '' end
  if e.n then
    for _, bad in ipairs(e.n) do if cur == bad then return {0, i} end end
  elseif cur ~= e.v then
    return {0, i}
  end
end
local out = 0
for _, op in ipairs(plan.o) do
  local o = op.o
  if o == 'set' then redis.call('SET', KEYS[op.k], op.v)
  elseif o == 'setex' then redis.call('SET', KEYS[op.k], op.v, 'EX', op.t)
  elseif o == 'del' then redis.call('DEL', KEYS[op.k])
  elseif o == 'hset' then redis.call('HSET', KEYS[op.k], unpack(op.a))
  elseif o == 'hdel' then redis.call('HDEL', KEYS[op.k], unpack(op.a))
  elseif o == 'rpush' then redis.call('RPUSH', KEYS[op.k], op.v)
  elseif o == 'lset' then redis.call('LSET', KEYS[op.k], op.i, op.v)
  elseif o == 'zadd' then redis.call('ZADD', KEYS[op.k], op.s, op.m)
  elseif o == 'zrem' then redis.call('ZREM', KEYS[op.k], op.m)
  elseif o == 'bump' then redis.call('HINCRBY', KEYS[op.k], 'rev', 1)
  elseif o == 'status' then
    local old = redis.call('HGET', KEYS[op.k], 'status')
    if old ~= op.s then
      local seq = redis.call('HGET', KEYS[op.k], 'seq')
      if old then
        redis.call('ZREM', p .. ':photo-status:' .. string.gsub(old, '"', ''), op.id)
        if seq then redis.call('SREM', p .. ':search-status:' .. string.gsub(old, '"', ''), seq) end
      end
      local score = redis.call('ZSCORE', p .. ':photos-by-received', op.id) or op.t or '0'
      redis.call('ZADD', p .. ':photo-status:' .. string.gsub(op.s, '"', ''), score, op.id)
      if seq then redis.call('SADD', p .. ':search-status:' .. string.gsub(op.s, '"', ''), seq) end
    end
  elseif o == 'entry' then
    local n = redis.call('LLEN', KEYS[op.l]) + 1
    local entry = string.gsub(op.v, '"version":0', '"version":' .. n, 1)
    redis.call('RPUSH', KEYS[op.l], entry)
    if op.cur then redis.call('HSET', KEYS[op.k], 'version', n) end
    out = n
  end
end
return {1, out}
`;

interface Expectation {
  k: number;
  f?: string;
  /** Equal to this ('' for absent). */
  v?: string;
  /** None of these. */
  n?: string[];
}

type Op =
  | { o: 'set'; k: number; v: string }
  | { o: 'setex'; k: number; v: string; t: number }
  | { o: 'del'; k: number }
  | { o: 'hset'; k: number; a: string[] }
  | { o: 'hdel'; k: number; a: string[] }
  | { o: 'rpush'; k: number; v: string }
  | { o: 'lset'; k: number; i: number; v: string }
  | { o: 'zadd'; k: number; s: string; m: string }
  | { o: 'zrem'; k: number; m: string }
  | { o: 'bump'; k: number }
  | { o: 'status'; k: number; id: string; s: string; t?: string }
  | { o: 'entry'; k: number; l: number; v: string; cur: boolean };

/** Builds one commit: checks, then writes. */
export class StateCommit {
  private readonly keys: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly checks: Expectation[] = [];
  private readonly ops: Op[] = [];

  /** `statePrefix`: `<prefix>:state`, for the status indexes the script keeps. */
  constructor(private readonly statePrefix: string) {}

  private k(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      this.keys.push(key);
      i = this.keys.length;
      this.index.set(key, i);
    }
    return i;
  }

  /** The string key still holds `value` (undefined: still absent). */
  expect(key: string, value: string | undefined | null): this {
    this.checks.push({ k: this.k(key), v: value ?? '' });
    return this;
  }

  /** The hash field still holds `value` (undefined: still absent). */
  expectField(key: string, field: string, value: string | undefined | null): this {
    this.checks.push({ k: this.k(key), f: field, v: value ?? '' });
    return this;
  }

  /** The hash field holds none of these raw values. */
  expectFieldNot(key: string, field: string, values: string[]): this {
    this.checks.push({ k: this.k(key), f: field, n: values });
    return this;
  }

  set(key: string, value: string, ttlSeconds?: number): this {
    this.ops.push(
      ttlSeconds
        ? { o: 'setex', k: this.k(key), v: value, t: ttlSeconds }
        : { o: 'set', k: this.k(key), v: value },
    );
    return this;
  }

  del(key: string): this {
    this.ops.push({ o: 'del', k: this.k(key) });
    return this;
  }

  /** HSET of already-encoded field/value pairs (nothing when empty). */
  hset(key: string, pairs: string[]): this {
    if (pairs.length > 0) this.ops.push({ o: 'hset', k: this.k(key), a: pairs });
    return this;
  }

  hdel(key: string, fields: string[]): this {
    if (fields.length > 0) this.ops.push({ o: 'hdel', k: this.k(key), a: fields });
    return this;
  }

  rpush(key: string, value: string): this {
    this.ops.push({ o: 'rpush', k: this.k(key), v: value });
    return this;
  }

  /** Replaces the list element at `index`. */
  lset(key: string, index: number, value: string): this {
    this.ops.push({ o: 'lset', k: this.k(key), i: index, v: value });
    return this;
  }

  zadd(key: string, score: number | string, member: string): this {
    this.ops.push({ o: 'zadd', k: this.k(key), s: String(score), m: member });
    return this;
  }

  zrem(key: string, member: string): this {
    this.ops.push({ o: 'zrem', k: this.k(key), m: member });
    return this;
  }

  /** Bumps the record's revision. */
  bump(photoKey: string): this {
    this.ops.push({ o: 'bump', k: this.k(photoKey) });
    return this;
  }

  /**
   * Moves the photo between the by-status indexes (before the record's status is written with
   * `hset`). `arrivalMs` files a new record that is not yet in the arrival index.
   */
  status(photoKey: string, photoId: string, statusJson: string, arrivalMs?: number): this {
    this.ops.push({
      o: 'status',
      k: this.k(photoKey),
      id: photoId,
      s: statusJson,
      ...(arrivalMs !== undefined ? { t: String(arrivalMs) } : {}),
    });
    return this;
  }

  /**
   * Appends a history entry (JSON with `"version":0`, filled with its number) and, when `current`,
   * makes it the record's current version. The commit returns the entry's number.
   */
  entry(photoKey: string, versionsKey: string, entryJson: string, current: boolean): this {
    this.ops.push({ o: 'entry', k: this.k(photoKey), l: this.k(versionsKey), v: entryJson, cur: current });
    return this;
  }

  get isEmpty(): boolean {
    return this.ops.length === 0;
  }

  args(): [number, ...string[]] {
    return [
      this.keys.length,
      ...this.keys,
      JSON.stringify({ p: this.statePrefix, x: this.checks, o: this.ops }),
    ];
  }
}

type CommitCommand = (numKeys: number, ...args: string[]) => Promise<[number, number]>;

/** Runs commits (the script is registered once per connection and sent by its SHA). */
export async function runCommit(
  redis: Redis,
  commit: StateCommit,
): Promise<{ ok: true; entry: number } | { ok: false; failedCheck: number }> {
  const client = redis as Redis & { lightboxCommit?: CommitCommand };
  if (!client.lightboxCommit) client.defineCommand('lightboxCommit', { lua: COMMIT_LUA });
  const [ok, value] = await (client.lightboxCommit as CommitCommand)(...commit.args());
  return ok === 1 ? { ok: true, entry: value } : { ok: false, failedCheck: value };
}

/** Thrown when a compare-and-set lost to concurrent writers too many times in a row. */
export class CommitContentionError extends Error {
  override readonly name = 'CommitContentionError';
  constructor(what: string, attempts: number) {
    super(`${what}: state kept changing under ${attempts} attempts; try again`);
  }
}
