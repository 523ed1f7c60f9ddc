/**
 * The chaos:ha cluster: Lightbox across several hosts on this machine (one network namespace
 * each): a Redis primary and a replica, three Sentinels, the S3 server, the API (with the
 * hot-folder service) and two worker hosts, every Lightbox process connecting through Sentinel.
 * `stop` stops whatever was started, so a start that fails half way leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC_OBJECT_PREFIXES } from '@lightbox/contracts';
import {
  type EmbeddedRedis,
  type EmbeddedSentinel,
  generateS3KeyPair,
  Supervisor,
  startRedisSentinel,
  startRedisServer,
  startS3rver,
  waitFor,
} from '@lightbox/embedded';
import { createRedis } from '@lightbox/redis';
import { Redis } from 'ioredis';
import { apiClient, benchServiceEnv, serviceEntry } from '../support/local-stack.js';
import { createNetwork, type Host, type Network } from '../support/netns.js';
import type { ChaosTarget } from './wire-load.js';

/** The Sentinels' name for the Redis group. */
export const GROUP = 'lightbox';

const HOSTS = {
  redis1: 11,
  redis2: 12,
  sentinel1: 21,
  sentinel2: 22,
  sentinel3: 23,
  s3: 30,
  api: 40,
  worker1: 51,
  worker2: 52,
};
type HostName = keyof typeof HOSTS;

export interface HaClusterOptions {
  /** Where every host keeps its data. */
  dataDir: string;
  redisBin: string;
  sentinelBin: string;
  /** `LIGHTBOX_REDIS_WAIT_REPLICAS`: 0 answers without waiting for the replica. */
  replicaAcks: string;
}

export class HaCluster {
  readonly net: Network<HostName>;
  readonly hosts: Record<HostName, Host>;
  // Redis off loopback needs a password (protected mode); as in production.
  readonly redisPassword = randomBytes(18).toString('base64url');
  // The supervisor `lightbox start` uses: a service that exits is started again.
  readonly supervisor = new Supervisor({ output: 'capture', restartDelayMs: () => 500 });
  /** The Redis servers running now. */
  readonly redises: EmbeddedRedis[] = [];
  private readonly sentinels: EmbeddedSentinel[] = [];
  private s3: Awaited<ReturnType<typeof startS3rver>> | undefined;
  private sentinelClient: Redis | undefined;

  constructor(private readonly options: HaClusterOptions) {
    this.net = createNetwork('lbha', '10.77.0', HOSTS);
    this.hosts = this.net.hosts;
  }

  /** Starts Redis, the Sentinels, S3 and the Lightbox services; the API's client when it answers. */
  async start(): Promise<{ target: ChaosTarget; primary: EmbeddedRedis }> {
    const h = this.hosts;
    const primary = await this.redisOn(h.redis1);
    await this.redisOn(h.redis2, { host: h.redis1.ip, port: 6379 });
    await this.startSentinels();
    this.s3 = await startS3rver({
      dataDir: join(this.options.dataDir, 's3'),
      bucket: 'lightbox',
      port: 9000,
      host: h.s3.ip,
      credentials: generateS3KeyPair(),
      publicReadPrefixes: [...PUBLIC_OBJECT_PREFIXES],
      launcher: h.s3.launcher,
    });
    const inbox = join(this.options.dataDir, 'inbox');
    await mkdir(inbox, { recursive: true });
    const feedKey = `feed_${Math.random().toString(36).slice(2)}`;
    const editorToken = `editor_${Math.random().toString(36).slice(2)}`;
    const env = this.serviceEnv(this.s3, feedKey, editorToken);
    const service = (name: string, pkg: string, host: Host) =>
      this.supervisor.start({
        name,
        entry: serviceEntry(pkg),
        env: { ...env, HOST: host.ip, PORT: '8080' },
        launcher: host.launcher,
      });
    service('api', '@lightbox/api', h.api);
    service('ingest', '@lightbox/ingest', h.api);
    service('worker-1', '@lightbox/worker', h.worker1);
    service('worker-2', '@lightbox/worker', h.worker2);
    const apiUrl = `http://${h.api.ip}:8080`;
    await waitFor(async () => (await fetch(`${apiUrl}/healthz`)).ok, {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: 'the API',
    });
    return { target: { inbox, ...apiClient(apiUrl, editorToken, feedKey) }, primary };
  }

  /** Starts a Redis server on a host (a replica of `replicaOf` when given). */
  async redisOn(host: Host, replicaOf?: { host: string; port: number }): Promise<EmbeddedRedis> {
    const redis = await startRedisServer({
      dataDir: join(this.options.dataDir, host.name),
      bin: this.options.redisBin,
      port: 6379,
      bind: host.ip,
      launcher: host.launcher,
      password: this.redisPassword,
      ...(replicaOf ? { replicaOf } : {}),
    });
    this.redises.push(redis);
    return redis;
  }

  /** SIGKILLs a Redis server. */
  kill(redis: EmbeddedRedis): void {
    redis.kill();
    this.redises.splice(this.redises.indexOf(redis), 1);
  }

  /** The primary's address as the Sentinels see it. */
  async primaryAddress(): Promise<string | undefined> {
    const sentinel = this.sentinelClient as Redis;
    return ((await sentinel.call('SENTINEL', 'get-master-addr-by-name', GROUP)) as string[] | null)?.[0];
  }

  /** The old primary's replication role now (it should have rejoined as a replica). */
  async roleOf(host: Host): Promise<string | undefined> {
    const redis = new Redis({
      host: host.ip,
      port: 6379,
      password: this.redisPassword,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    const role = await redis
      .info('replication')
      .then((i) => /role:(\w+)/.exec(i)?.[1])
      .catch(() => undefined);
    redis.disconnect();
    return role;
  }

  /** What the reconciler put back (runs on start, every minute and after the failover). */
  async reconcileTotals(): Promise<Record<string, string>> {
    const state = createRedis(
      {
        sentinels: [{ host: this.hosts.sentinel1.ip, port: 26379 }],
        name: GROUP,
        password: this.redisPassword,
      },
      { connectionName: 'chaos-ha' },
    );
    const totals = await state.hgetall('lightbox:reconcile:totals');
    state.disconnect();
    return totals;
  }

  async stop(): Promise<void> {
    this.sentinelClient?.disconnect();
    await this.supervisor.stopAll();
    await Promise.all(this.sentinels.map((s) => s.stop()));
    await Promise.all(this.redises.map((r) => r.stop()));
    await this.s3?.stop();
    this.net.destroy();
  }

  private async startSentinels(): Promise<void> {
    const h = this.hosts;
    for (const host of [h.sentinel1, h.sentinel2, h.sentinel3])
      this.sentinels.push(
        await startRedisSentinel({
          dataDir: join(this.options.dataDir, host.name),
          bin: this.options.sentinelBin,
          port: 26379,
          bind: host.ip,
          monitor: { name: GROUP, host: h.redis1.ip, port: 6379 },
          quorum: 2,
          downAfterMs: 2000,
          failoverTimeoutMs: 10_000,
          authPass: this.redisPassword,
          launcher: host.launcher,
        }),
      );
    const sentinel = new Redis({ host: h.sentinel1.ip, port: 26379, lazyConnect: true });
    sentinel.on('error', () => {});
    this.sentinelClient = sentinel;
    // A failover needs the Sentinels to know the replica and each other (they meet every 2 s).
    await waitFor(
      async () =>
        ((await sentinel.call('SENTINEL', 'replicas', GROUP)) as unknown[]).length === 1 &&
        ((await sentinel.call('SENTINEL', 'sentinels', GROUP)) as unknown[]).length === 2,
      { what: 'the Sentinels to know the replica and each other', timeoutMs: 60_000, intervalMs: 250 },
    );
  }

  private serviceEnv(
    s3: { endpoint: string; accessKeyId: string; secretAccessKey: string },
    feedKey: string,
    editorToken: string,
  ): NodeJS.ProcessEnv {
    const h = this.hosts;
    return {
      ...benchServiceEnv({ dataDir: this.options.dataDir, s3, feedKey, editorToken }),
      REDIS_SENTINELS: [h.sentinel1, h.sentinel2, h.sentinel3].map((s) => `${s.ip}:26379`).join(','),
      REDIS_SENTINEL_NAME: GROUP,
      REDIS_PASSWORD: this.redisPassword,
      LIGHTBOX_RENDER_CONCURRENCY: '2',
      // Acceptances a failover lost are replayed 15 s after the new primary answers.
      LIGHTBOX_RECONCILE_GRACE_S: '15',
      LIGHTBOX_RECONCILE_INTERVAL_S: '60',
      LIGHTBOX_REDIS_WAIT_REPLICAS: this.options.replicaAcks,
    };
  }
}
