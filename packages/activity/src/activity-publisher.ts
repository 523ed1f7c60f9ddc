import type { Redis } from 'ioredis';
import type { ActivityEvent } from './events.js';
import { type ActivityKeys, activityKeys, minuteOf } from './keys.js';

const RECENT = 200;
const COUNTER_TTL_S = 2 * 3600;
const LATENCY_WINDOW_MS = 15 * 60_000;

/**
 * Tells dashboards what happens, as it happens: Redis pub/sub for live listeners, a short list of
 * recent events for a page's first paint, and per-minute counters and latency samples for charts.
 * Never throws into the pipeline: a dashboard is not worth failing a photo for.
 */
export class ActivityPublisher {
  private readonly keys: ActivityKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.keys = activityKeys(prefix);
  }

  async publish(...events: ActivityEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      const tx = this.redis.pipeline();
      for (const e of events) {
        const json = JSON.stringify(e);
        tx.publish(this.keys.channel, json);
        tx.lpush(this.keys.recent, json);
        const at = Date.parse(e.at);
        if (e.kind === 'received' || e.kind === 'published' || e.kind === 'failed') {
          const key = this.keys.counter(e.kind, minuteOf(at));
          tx.incr(key);
          tx.expire(key, COUNTER_TTL_S);
        }
        if (e.kind === 'published' && e.latencyMs !== undefined && e.photoId) {
          // `photoId:whole:waited` (earlier releases wrote `photoId:whole`).
          const sample = `${e.photoId}:${Math.round(e.latencyMs)}:${Math.round(e.waitedMs ?? 0)}`;
          tx.zadd(this.keys.latency, String(at), sample);
        }
      }
      tx.ltrim(this.keys.recent, 0, RECENT - 1);
      tx.zremrangebyscore(this.keys.latency, '-inf', String(Date.now() - LATENCY_WINDOW_MS));
      const failed = (await tx.exec())?.find(([e]) => e);
      if (failed) this.onError(failed[0] as Error);
    } catch (err) {
      this.onError(err as Error);
    }
  }
}
