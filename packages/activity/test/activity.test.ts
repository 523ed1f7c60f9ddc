import { randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivityEvent,
  ActivityPublisher,
  ActivitySubscriber,
  activityKeys,
  clip,
  PipelineStats,
  parseLatencySample,
  quantile,
} from '../src/index.js';

describe('quantile and clip', () => {
  it('uses nearest rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([10], 0.95)).toBe(10);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
  });
  it('clips long text', () => {
    expect(clip('a'.repeat(300))?.length).toBe(280);
    expect(clip('short')).toBe('short');
  });
});

describe('activity on real Redis', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('delivers events to every listener, keeps recent ones, and counts per minute', async () => {
    const prefix = randomPrefix('activity');
    const publisher = new ActivityPublisher(redis, prefix);
    const subscriber = new ActivitySubscriber(redis.duplicate(), prefix);
    const a: ActivityEvent[] = [];
    const b: ActivityEvent[] = [];
    await subscriber.listen((e) => a.push(e));
    const stopB = await subscriber.listen((e) => b.push(e));
    const now = Date.now();
    const at = new Date(now).toISOString();
    await publisher.publish(
      { kind: 'received', at, photoId: 'ph_1', caption: 'Fans cheer' },
      { kind: 'published', at, photoId: 'ph_1', latencyMs: 1200 },
      { kind: 'published', at, photoId: 'ph_2', latencyMs: 800 },
      { kind: 'failed', at, stage: 'render', reason: 'boom' },
    );
    const deadline = Date.now() + 5000;
    while (a.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(a.map((e) => e.kind)).toEqual(['received', 'published', 'published', 'failed']);
    expect(b).toHaveLength(4);
    stopB();
    await publisher.publish({ kind: 'received', at, photoId: 'ph_3' });
    while (a.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(b).toHaveLength(4);

    const stats = new PipelineStats(redis, prefix);
    expect((await stats.recent(2)).map((e) => e.photoId)).toEqual(['ph_3', undefined]);
    const snap = await stats.snapshot(now);
    expect(snap.perMinute).toHaveLength(60);
    expect(snap.perMinute.at(-1)).toMatchObject({ received: 2, published: 2, failed: 1 });
    expect(snap.latency).toMatchObject({ p50: 800, p95: 1200, samples: 2 });
    expect(snap.latency.perMinute.at(-1)).toMatchObject({ p50: 800, p95: 1200 });
    await subscriber.close();
  });

  it('status latency leaves out embargo and editor waits, and reports the whole too', async () => {
    const prefix = randomPrefix('activity');
    const publisher = new ActivityPublisher(redis, prefix);
    const now = Date.now();
    const at = new Date(now).toISOString();
    await publisher.publish(
      { kind: 'published', at, photoId: 'ph_wire', latencyMs: 900 },
      // 312 s from arrival, 311 of them embargoed: 1 s of pipeline.
      { kind: 'published', at, photoId: 'ph_embargoed', latencyMs: 312_000, waitedMs: 311_000 },
    );
    // A sample an earlier release wrote (`photoId:whole`): all of it pipeline time.
    await redis.zadd(activityKeys(prefix).latency, String(now), 'ph_legacy:700');
    const { latency } = await new PipelineStats(redis, prefix).snapshot(now);
    expect(latency).toMatchObject({ p50: 900, p95: 1000, samples: 3, withWaits: { p50: 900, p95: 312_000 } });
    expect(parseLatencySample('ph_1:5000:4000')).toEqual({ photoId: 'ph_1', whole: 5000, pipeline: 1000 });
  });

  it('never throws into the caller when Redis fails', async () => {
    const broken = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    broken.on('error', () => undefined);
    const errors: Error[] = [];
    await new ActivityPublisher(broken, 'x', (e) => errors.push(e)).publish({
      kind: 'received',
      at: new Date().toISOString(),
    });
    expect(errors).toHaveLength(1);
    broken.disconnect();
  });
});
