import { eventually, randomPrefix, startLocalRedisGroup, type TestRedisGroup } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineQueues, startStageWorkers } from '../src/index.js';

/**
 * BullMQ through a Sentinel group (primary, replica, three Sentinels): when the primary is
 * SIGKILLed, the same producer and the same worker carry on against the promoted replica, without a
 * restart (BullMQ users report workers stuck after failovers; these are not).
 */
describe('stage queues across a Sentinel failover', () => {
  let group: TestRedisGroup;
  beforeAll(async () => {
    group = await startLocalRedisGroup({ downAfterMs: 1000 });
  });
  afterAll(async () => group?.stop());

  it('keeps taking and running jobs after the primary dies', async () => {
    const redis = { sentinels: group.sentinels, name: group.name };
    const prefix = randomPrefix('failover');
    const queues = new PipelineQueues({ redis, prefix });
    const seen = new Set<string>();
    const errors: string[] = [];
    const workers = startStageWorkers({
      redis,
      prefix,
      handlers: { render: async ({ photoId }) => void seen.add(photoId) },
      concurrency: { render: 2 },
      onError: (_stage, err) => errors.push(err.message),
    });
    await queues.add('render', { photoId: 'ph_before' });
    await eventually(async () => seen.has('ph_before'));

    group.killPrimary();
    // A producer fails fast while there is no primary; a feed retries, as this loop does.
    await eventually(
      async () =>
        queues.add('render', { photoId: 'ph_after' }, { jobId: 'ph_after' }).then(
          () => true,
          () => false,
        ),
      30_000,
      250,
    );
    await eventually(async () => seen.has('ph_after'), 30_000, 100);
    expect(await queues.queue('render').getJobState('ph_after')).toBe('completed');
    await workers.close(5_000);
    await queues.close();
  });
});
