/**
 * The faults chaos:ha injects while the load runs: the Redis primary SIGKILLed (the Sentinels
 * promote the replica; the old primary comes back 10 s later and rejoins as a replica), and a
 * worker host cut off from every Redis node for 20 s, then healed.
 */
import type { EmbeddedRedis } from '@lightbox/embedded';
import type { HaCluster } from './ha-cluster.js';
import { type ChaosTarget, sleep } from './wire-load.js';

export const PARTITION_MS = 20_000;
const PRIMARY_BACK_AFTER_MS = 10_000;

/** When the failover's steps happened (epoch ms), and the photo that showed the pipeline back. */
export interface FailoverTimes {
  killedAt?: number;
  switchedAt?: number;
  apiAt?: number;
  canary?: string;
  publishedAt?: number;
}

/** An upload the API acknowledged: when it was sent and when the answer came. */
export interface Ack {
  photoId: string;
  at: number;
  startedAt: number;
}

/**
 * After `afterMs`, SIGKILLs the primary, then watches the Sentinels' switch, the API's first
 * acknowledgement of an upload sent after the kill, and that photo in its gallery: the pipeline
 * as a whole is back. The old primary is started again meanwhile.
 */
export async function failPrimary(
  cluster: HaCluster,
  primary: EmbeddedRedis,
  target: ChaosTarget,
  acks: readonly Ack[],
  afterMs: number,
  note: (line: string) => void,
): Promise<FailoverTimes> {
  const h = cluster.hosts;
  const failover: FailoverTimes = {};
  await sleep(afterMs);
  note(`SIGKILL the Redis primary (${h.redis1.ip})`);
  failover.killedAt = Date.now();
  cluster.kill(primary);
  const watchSwitch = (async () => {
    while ((await cluster.primaryAddress().catch(() => h.redis1.ip)) === h.redis1.ip) await sleep(100);
    failover.switchedAt = Date.now();
    note(`Sentinels promoted ${await cluster.primaryAddress()}`);
  })();
  const watchPipeline = (async () => {
    for (;;) {
      const first = acks.find((a) => a.startedAt >= (failover.killedAt as number));
      if (first) {
        failover.apiAt ??= first.at;
        failover.canary = first.photoId;
        const res = await target.call(`/v1/photos/${first.photoId}`).catch(() => undefined);
        const status = res?.ok ? ((await res.json()) as { status: string }).status : undefined;
        if (status === 'published') {
          failover.publishedAt = Date.now();
          note(`first photo sent after the kill is published (${first.photoId})`);
          return;
        }
      }
      await sleep(200);
    }
  })();
  await sleep(PRIMARY_BACK_AFTER_MS);
  await cluster.redisOn(h.redis1);
  note(`old primary back (${h.redis1.ip}): the Sentinels make it a replica`);
  await Promise.all([watchSwitch, watchPipeline]);
  return failover;
}

/** After `afterMs`, cuts worker host 2 off from every Redis node for PARTITION_MS; how it was cut. */
export async function partitionWorker(
  cluster: HaCluster,
  afterMs: number,
  note: (line: string) => void,
): Promise<string> {
  const h = cluster.hosts;
  await sleep(afterMs);
  const redisHosts = [h.redis1, h.redis2, h.sentinel1, h.sentinel2, h.sentinel3].map((x) => x.ip);
  const how = cluster.net.partition(h.worker2, redisHosts);
  note(`worker host ${h.worker2.ip} cut off from every Redis node for ${PARTITION_MS / 1000} s (${how})`);
  await sleep(PARTITION_MS);
  cluster.net.heal(h.worker2);
  note(`worker host ${h.worker2.ip} healed`);
  return how;
}
