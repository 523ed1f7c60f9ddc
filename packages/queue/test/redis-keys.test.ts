import { eventually, randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineQueues, startStageWorkers } from '../src/index.js';

/**
 * What deployments rely on: with a hash-tagged prefix every key lands in one Redis Cluster slot
 * (BullMQ's Lua scripts touch several keys at once), and waiting jobs sit in `<prefix>:<stage>:wait`,
 * the list the KEDA ScaledObjects in infra/k8s scale on.
 */
describe('queue keys in Redis', () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startLocalRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('keeps waiting jobs in the <prefix>:<stage>:wait list that KEDA reads', async () => {
    const prefix = `{${randomPrefix('keda')}}`;
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix });
    await queues.add('render', { photoId: 'ph_a' });
    await queues.add('render', { photoId: 'ph_b' });
    await queues.add('match', { photoId: 'ph_a' });
    expect(await client.llen(`${prefix}:render:wait`)).toBe(2);
    expect(await client.llen(`${prefix}:match:wait`)).toBe(1);
    await queues.close();
  });

  it('writes every key under the hash-tagged prefix, so a Redis Cluster keeps them in one slot', async () => {
    const prefix = `{${randomPrefix('slot')}}`;
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix });
    let failedOnce = false;
    const workers = startStageWorkers({
      redisUrl: redis.url,
      prefix,
      concurrency: {},
      handlers: {
        render: async () => {},
        match: async () => {
          if (!failedOnce) {
            failedOnce = true;
            throw new Error('first attempt fails');
          }
        },
      },
    });
    await queues.add('render', { photoId: 'ph_1' });
    await queues.add('match', { photoId: 'ph_1' });
    await eventually(async () => (await queues.queue('match').getCompletedCount()) === 1, 20_000);
    await workers.close(5_000);
    await queues.close();

    const keys = await client.keys(`*${prefix.slice(1, -1)}*`);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(key.startsWith(`${prefix}:`), key).toBe(true);
  });
});
