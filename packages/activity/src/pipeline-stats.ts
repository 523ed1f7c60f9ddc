import type { Redis } from 'ioredis';
import type { ActivityEvent } from './events.js';
import { type ActivityKeys, activityKeys, minuteOf } from './keys.js';

export interface MinuteCounts {
  /** Minute start, epoch ms. */
  minute: number;
  received: number;
  published: number;
  failed: number;
}

export interface LatencyPoint {
  minute: number;
  p50: number | null;
  p95: number | null;
}

export interface StatsSnapshot {
  /** The last `minutes` minutes, oldest first. */
  perMinute: MinuteCounts[];
  /**
   * Arrival → published over the last 15 minutes, without the time photos spent embargoed or waiting
   * for an editor (held, review); `withWaits`: the whole time, waits included.
   */
  latency: {
    p50: number | null;
    p95: number | null;
    samples: number;
    perMinute: LatencyPoint[];
    withWaits: { p50: number | null; p95: number | null };
  };
}

/**
 * One latency sample as stored, `photoId:whole:waited` ms (earlier releases: `photoId:whole`): the
 * pipeline's latency (the whole less the waits) and the whole.
 */
export function parseLatencySample(member: string): { photoId: string; pipeline: number; whole: number } {
  const parts = member.split(':');
  const whole = Number(parts[1]);
  const waited = parts.length > 2 ? Number(parts[2]) : 0;
  return { photoId: parts[0] as string, whole, pipeline: Math.max(0, whole - waited) };
}

/** The q-quantile (0…1) of sorted numbers; null when empty (nearest-rank). */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Reads what `ActivityPublisher` counts: one MGET and one range read, whatever the volume. */
export class PipelineStats {
  private readonly keys: ActivityKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = activityKeys(prefix);
  }

  async recent(limit = 50): Promise<ActivityEvent[]> {
    return (await this.redis.lrange(this.keys.recent, 0, limit - 1)).map(
      (v) => JSON.parse(v) as ActivityEvent,
    );
  }

  async snapshot(now = Date.now(), minutes = 60): Promise<StatsSnapshot> {
    const last = minuteOf(now);
    const range = Array.from({ length: minutes }, (_, i) => last - minutes + 1 + i);
    const kinds = ['received', 'published', 'failed'] as const;
    const keys = kinds.flatMap((k) => range.map((m) => this.keys.counter(k, m)));
    const [values, samples] = await Promise.all([
      this.redis.mget(keys),
      this.redis.zrangebyscore(this.keys.latency, now - 15 * 60_000, '+inf', 'WITHSCORES'),
    ]);
    const perMinute = range.map((m, i) => ({
      minute: m * 60_000,
      received: Number(values[i] ?? 0),
      published: Number(values[minutes + i] ?? 0),
      failed: Number(values[2 * minutes + i] ?? 0),
    }));
    const byMinute = new Map<number, number[]>();
    const all: number[] = [];
    const wholes: number[] = [];
    for (let i = 0; i < samples.length; i += 2) {
      const { pipeline: latency, whole } = parseLatencySample(samples[i] as string);
      const minute = minuteOf(Number(samples[i + 1])) * 60_000;
      all.push(latency);
      wholes.push(whole);
      byMinute.set(minute, [...(byMinute.get(minute) ?? []), latency]);
    }
    all.sort((a, b) => a - b);
    wholes.sort((a, b) => a - b);
    const latencyPerMinute = range.slice(-15).map((m) => {
      const list = (byMinute.get(m * 60_000) ?? []).sort((a, b) => a - b);
      return { minute: m * 60_000, p50: quantile(list, 0.5), p95: quantile(list, 0.95) };
    });
    return {
      perMinute,
      latency: {
        p50: quantile(all, 0.5),
        p95: quantile(all, 0.95),
        samples: all.length,
        perMinute: latencyPerMinute,
        withWaits: { p50: quantile(wholes, 0.5), p95: quantile(wholes, 0.95) },
      },
    };
  }
}
