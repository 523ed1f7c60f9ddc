/** Where Redis is (a URL or a Sentinel group), replica acknowledgements, the reconciler, the key prefix. */
import { parseSentinelList, type RedisEndpoint } from '@lightbox/redis/endpoint';
import { z } from 'zod';
import { ConfigError, emptyToUndefined, intFrom, optionalString } from './env-values.js';

/** Redis, and what depends on it being durable. */
export const redisEnv = z.object({
  REDIS_URL: optionalString,
  /** A Sentinel group instead of REDIS_URL: `host:port,host:port` and the group's name. */
  REDIS_SENTINELS: optionalString,
  REDIS_SENTINEL_NAME: optionalString,
  /** With Sentinel: the primary's password (and ACL user), and the Sentinels' own password. */
  REDIS_PASSWORD: optionalString,
  REDIS_USERNAME: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  /** Replicas that must hold an acceptance before it is answered (Redis WAIT), and how long to wait. */
  LIGHTBOX_REDIS_WAIT_REPLICAS: intFrom(1),
  LIGHTBOX_REDIS_WAIT_MS: intFrom(500, 1),
  /** How often the reconciler compares object storage with Redis (0: only when asked). */
  LIGHTBOX_RECONCILE_INTERVAL_S: intFrom(300),
  /** Acceptances younger than this are left to their upload, which may still be under way. */
  LIGHTBOX_RECONCILE_GRACE_S: intFrom(60),
  LIGHTBOX_REDIS_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_{}.-]+$/)
      .default('lightbox'),
  ),
});

/** `REDIS_URL`, or the Sentinel group of `REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`; never both. */
export function redisEndpoint(e: z.infer<typeof redisEnv>): RedisEndpoint | undefined {
  const sentinels = e.REDIS_SENTINELS;
  const name = e.REDIS_SENTINEL_NAME;
  if (e.REDIS_URL && (sentinels || name))
    throw new ConfigError('Set REDIS_URL or REDIS_SENTINELS, not both (docs/operations.md: Sentinel)');
  if (!sentinels && !name) return e.REDIS_URL;
  if (!name) throw new ConfigError('REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the name Sentinel monitors)');
  if (!sentinels) throw new ConfigError('REDIS_SENTINEL_NAME needs REDIS_SENTINELS (host:port,host:port)');
  let list: { host: string; port: number }[];
  try {
    list = parseSentinelList(sentinels);
  } catch (err) {
    throw new ConfigError(`REDIS_SENTINELS: ${(err as Error).message}`);
  }
  return {
    sentinels: list,
    name,
    ...(e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {}),
    ...(e.REDIS_USERNAME ? { username: e.REDIS_USERNAME } : {}),
    ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}),
  };
}
