import { Redis, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from './endpoint.js';

export * from './endpoint.js';

export interface RedisConnectionOptions {
  /**
   * `true` for connections used by BullMQ workers and blocking commands: `maxRetriesPerRequest: null`
   * so commands wait through a reconnect or a failover instead of failing. `false` (API, CLI,
   * producers) fails a command after a few reconnect attempts, so a request is answered with an
   * error (and a feed retries) instead of hanging.
   */
  blocking?: boolean;
  connectionName?: string;
}

/**
 * The one place connection settings are decided, for every process and every connection (state,
 * BullMQ producers and workers, the CLI). Follows BullMQ's production guide and ioredis' failover
 * advice:
 * - reconnect for ever, backing off up to 5 s;
 * - workers wait through an outage (`maxRetriesPerRequest: null`), everything else fails after 3 tries;
 * - a `READONLY` reply (still talking to a primary that was demoted to replica) reconnects and
 *   resends the command (`reconnectOnError` → 2);
 * - with Sentinel, the client asks the Sentinels for the current primary on every (re)connect, and
 *   listens to their `+switch-master` (`failoverDetector`) so it moves to a new primary even while
 *   its old connection still looks alive (a partition rather than a crash).
 */
export function redisOptions(
  endpoint: RedisEndpoint,
  { blocking = false, connectionName }: RedisConnectionOptions = {},
): RedisOptions {
  const common: RedisOptions = {
    maxRetriesPerRequest: blocking ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
    connectionName,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 5_000),
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    // Probes a silent peer (a partition) so a dead connection is noticed and replaced.
    keepAlive: 10_000,
  };
  if (typeof endpoint === 'string') return common;
  return {
    ...common,
    sentinels: endpoint.sentinels,
    name: endpoint.name,
    role: 'master',
    password: endpoint.password,
    username: endpoint.username,
    sentinelPassword: endpoint.sentinelPassword,
    db: endpoint.db,
    failoverDetector: true,
    sentinelRetryStrategy: (times) => Math.min(times * 100, 1_000),
  };
}

/** One ioredis connection to the endpoint, with `redisOptions`. */
export function createRedis(endpoint: RedisEndpoint, options: RedisConnectionOptions = {}): Redis {
  const settings = redisOptions(endpoint, options);
  return typeof endpoint === 'string' ? new Redis(endpoint, settings) : new Redis(settings);
}
