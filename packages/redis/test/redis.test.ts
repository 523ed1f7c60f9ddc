import { startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRedisKeepsData, createRedis, pingRedis, UnsafeRedisError } from '../src/index.js';

describe('Redis safety', () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startLocalRedis();
  });
  afterAll(async () => server?.stop());

  it('accepts noeviction and refuses evicting policies with a clear message', async () => {
    const redis = createRedis(server.url);
    await assertRedisKeepsData(redis);
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await expect(assertRedisKeepsData(redis)).rejects.toBeInstanceOf(UnsafeRedisError);
    await expect(assertRedisKeepsData(redis)).rejects.toThrow(
      /maxmemory-policy is "allkeys-lru".*noeviction/,
    );
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    expect(await pingRedis(redis)).toBe(true);
    redis.disconnect();
  });

  it('warns when Redis keeps nothing on disk (no AOF, no snapshots), and not when it does', async () => {
    const redis = createRedis(server.url);
    const warnings: string[] = [];
    await redis.config('SET', 'appendonly', 'no');
    await redis.config('SET', 'save', '');
    await assertRedisKeepsData(redis, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/keeps nothing on disk.*appendonly yes/)]);
    await redis.config('SET', 'save', '3600 1');
    await assertRedisKeepsData(redis, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    redis.disconnect();
  });

  it('pings false when Redis is unreachable', async () => {
    const redis = createRedis('redis://127.0.0.1:1', { connectionName: 'x' });
    redis.on('error', () => {});
    expect(await pingRedis(redis, 300)).toBe(false);
    redis.disconnect();
  });
});
