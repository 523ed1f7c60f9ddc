import { eventually, randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BULK_PRIORITY,
  LifecycleWork,
  PipelineQueues,
  priorityOptions,
  startStageWorkers,
} from '../src/index.js';

/** Fresh first: live wire work is never queued behind bulk work (BullMQ priorities). */
describe('fresh first on real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(async () => redis?.stop());

  it('marks bulk work with a priority and leaves live work without one', () => {
    expect(priorityOptions('bulk')).toEqual({ priority: BULK_PRIORITY });
    expect(priorityOptions('live')).toEqual({});
    expect(priorityOptions(undefined)).toEqual({});
  });

  it('a live job added behind 30 bulk jobs runs next', async () => {
    const prefix = randomPrefix('fresh');
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix });
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    await queues.addBulk(
      'render',
      Array.from({ length: 30 }, (_, i) => ({
        payload: { photoId: `ph_bulk${i}` },
        options: priorityOptions('bulk'),
      })),
    );
    const workers = startStageWorkers({
      redisUrl: redis.url,
      prefix,
      concurrency: { render: 1 },
      handlers: {
        render: async ({ photoId }) => {
          order.push(photoId);
          if (order.length === 1) await gate;
        },
      },
    });
    try {
      await eventually(async () => order.length === 1);
      await queues.add('render', { photoId: 'ph_live' });
      // Counted as waiting however it is queued (KEDA scales on it).
      const render = (await queues.counts()).find((c) => c.name === 'render');
      expect(render?.waiting).toBe(30);
      release();
      await eventually(async () => order.length === 31, 20_000);
      expect(order[1]).toBe('ph_live');
    } finally {
      release();
      await workers.close(5000);
      await queues.close();
    }
  });

  it('LifecycleWork derives each job’s priority from the photo record', async () => {
    const prefix = randomPrefix('fresh');
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix });
    const work = new LifecycleWork(queues);
    try {
      await work.run({ photoId: 'ph_import', version: 1, priority: 'bulk' }, [
        { kind: 'render' },
        { kind: 'match' },
      ]);
      await work.run({ photoId: 'ph_wire', version: 1 }, [{ kind: 'render' }]);
      const jobs = async (stage: 'render' | 'match') =>
        Object.fromEntries(
          (await queues.queue(stage).getJobs(['waiting', 'prioritized'])).map((j) => [
            j.data.photoId,
            j.opts.priority ?? 0,
          ]),
        );
      expect(await jobs('render')).toEqual({ ph_import: BULK_PRIORITY, ph_wire: 0 });
      expect(await jobs('match')).toEqual({ ph_import: BULK_PRIORITY });
    } finally {
      await queues.close();
    }
  });
});
