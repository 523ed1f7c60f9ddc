import { randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BULK_PRIORITY,
  LifecycleWork,
  PipelineQueues,
  priorityOptions,
  STAGE_JOB_OPTIONS,
} from '../src/index.js';

/** LifecycleWork queues a photo's next step from the pipeline table, on real Redis. */
describe('LifecycleWork on real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(async () => redis?.stop());

  const jobs = async (queues: PipelineQueues, stage: 'render' | 'match') =>
    (await queues.queue(stage).getJobs(['waiting', 'prioritized'])).map((j) => ({
      id: j.id,
      photoId: j.data.photoId,
      attempts: j.opts.attempts,
    }));

  it('queues the table’s next step after render and ingest, once per finished job', async () => {
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix: randomPrefix('work') });
    const work = new LifecycleWork(queues);
    try {
      const photo = { photoId: 'ph_a', version: 1, rev: 3 };
      await work.advance('render', photo, 'ph_a-v1-r3');
      await work.advance('render', photo, 'ph_a-v1-r3'); // the same render job, retried
      await work.advance('ingest', { photoId: 'ph_b', version: 2 }, 'ph_b-v2');
      expect(await jobs(queues, 'match')).toEqual([
        { id: 'ph_a-v1-r3-match', photoId: 'ph_a', attempts: STAGE_JOB_OPTIONS.match.attempts },
      ]);
      expect(await jobs(queues, 'render')).toEqual([
        { id: 'ph_b-v2-render', photoId: 'ph_b', attempts: STAGE_JOB_OPTIONS.render.attempts },
      ]);
    } finally {
      await queues.close();
    }
  });

  it('matches a photo rendered again within one version (a withdrawal, then a release)', async () => {
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix: randomPrefix('work') });
    const work = new LifecycleWork(queues);
    try {
      // The first render's match is still in Redis (waiting or kept as completed): a second add
      // under the same id would be dropped, as a match id of version alone was.
      await work.advance('render', { photoId: 'ph_c', version: 1, rev: 1 }, 'ph_c-v1-r1');
      // Held by an editor (renditions withdrawn), then released: the lifecycle queues a render again.
      await work.run({ photoId: 'ph_c', version: 1, rev: 5 }, [{ kind: 'render' }]);
      await work.advance('render', { photoId: 'ph_c', version: 1, rev: 5 }, 'ph_c-v1-r5');
      expect((await jobs(queues, 'match')).map((j) => j.id)).toEqual([
        'ph_c-v1-r5-match',
        'ph_c-v1-r1-match',
      ]);
    } finally {
      await queues.close();
    }
  });

  it('queues backfill’s re-matches in one round trip, once per batch', async () => {
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix: randomPrefix('work') });
    const work = new LifecycleWork(queues);
    try {
      await work.advanceAll('backfill', ['ph_1', 'ph_2'], 'rematch-7');
      await work.advanceAll('backfill', ['ph_1', 'ph_2'], 'rematch-7');
      expect((await jobs(queues, 'match')).map((j) => j.id).sort()).toEqual([
        'ph_1-rematch-7',
        'ph_2-rematch-7',
      ]);
    } finally {
      await queues.close();
    }
  });

  it('carries a bulk photo’s priority to its next step, and a backfill’s to its re-matches', async () => {
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix: randomPrefix('work') });
    const work = new LifecycleWork(queues);
    try {
      await work.advance('render', { photoId: 'ph_bulk', version: 1, priority: 'bulk' }, 'ph_bulk-v1-r1');
      await work.advance('render', { photoId: 'ph_live', version: 1, priority: 'live' }, 'ph_live-v1-r1');
      await work.advanceAll('backfill', ['ph_wait'], 'rematch-1', priorityOptions('bulk'));
      const priorities = Object.fromEntries(
        (await queues.queue('match').getJobs(['waiting', 'prioritized'])).map((j) => [
          j.data.photoId,
          j.opts.priority ?? 0,
        ]),
      );
      expect(priorities).toEqual({ ph_bulk: BULK_PRIORITY, ph_live: 0, ph_wait: BULK_PRIORITY });
    } finally {
      await queues.close();
    }
  });

  it('refuses to advance a stage whose next step is not a photo’s', async () => {
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix: randomPrefix('work') });
    try {
      await expect(
        new LifecycleWork(queues).advance('match', { photoId: 'ph_d', version: 1 }, 'j'),
      ).rejects.toThrow(/not a photo's step/);
    } finally {
      await queues.close();
    }
  });
});
