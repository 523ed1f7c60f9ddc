/**
 * Where Redis is, as config states it — pure, without ioredis, so config and the CLI's client
 * commands load no Redis client (`@lightbox/redis/endpoint`).
 */

/** A Redis Sentinel group: the Sentinels to ask, and the name of the group they watch. */
export interface SentinelEndpoint {
  sentinels: { host: string; port: number }[];
  /** The group's name (`sentinel monitor <name> …`). */
  name: string;
  /** Password of the primary and replicas (`requirepass`), when set. */
  password?: string;
  username?: string;
  /** Password of the Sentinels themselves, when they have one. */
  sentinelPassword?: string;
  db?: number;
}

/** Where Lightbox's Redis is: a `redis://` / `rediss://` URL, or a Sentinel group. */
export type RedisEndpoint = string | SentinelEndpoint;

/** `host:port,host:port` (the `REDIS_SENTINELS` format); IPv6 addresses in brackets. */
export function parseSentinelList(value: string): { host: string; port: number }[] {
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(entry);
      const port = Number(match?.[3]);
      if (!match || port < 1 || port > 65535)
        throw new Error(`"${entry}" is not host:port (e.g. sentinel-1:26379)`);
      return { host: (match[1] ?? match[2]) as string, port };
    });
  if (list.length === 0) throw new Error('no Sentinel given (host:port,host:port)');
  return list;
}

/** The endpoint for logs and banners: a URL without its password, or the Sentinel group. */
export function describeRedisEndpoint(endpoint: RedisEndpoint): string {
  if (typeof endpoint !== 'string')
    return `sentinel ${endpoint.name} via ${endpoint.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
  try {
    const url = new URL(endpoint);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return endpoint;
  }
}
