/** Deletes KEYS[1] only while it still holds ARGV[1] (another record may have taken the key since). */
export const DEL_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
