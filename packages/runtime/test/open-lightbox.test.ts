import { STATE_SCHEMA_VERSION, stateKeys } from '@lightbox/catalog';
import { loadConfig, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { createRedis, UnsafeRedisError } from '@lightbox/redis';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLightbox } from '../src/index.js';

describe('openLightbox', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
  });
  afterAll(async () => {
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  const config = (prefix: string, bucket = 'lightbox') =>
    requireConnections(
      loadConfig({
        REDIS_URL: redisServer.url,
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_BUCKET: bucket,
        LIGHTBOX_REDIS_PREFIX: prefix,
      }),
    );
  const warnings: string[] = [];
  const log = Object.assign(createLogger({ name: 'test', level: 'silent' }), {
    warn: (m: unknown) => warnings.push(String(m)),
  });

  it('connects, makes the bucket, migrates state written by an earlier release, and closes', async () => {
    const prefix = randomPrefix('open');
    const raw = createRedis(redisServer.url);
    await raw.set(stateKeys(prefix).schemaVersion, '1');
    const lightbox = await openLightbox(config(prefix, 'fresh-bucket'), { name: 'test', log });
    expect(Number(await raw.get(stateKeys(prefix).schemaVersion))).toBe(STATE_SCHEMA_VERSION);
    expect(await lightbox.store.ping()).toBe(true);
    expect((await lightbox.queues.counts()).map((q) => q.name)).toContain('ingest');
    expect(await lightbox.photos.get('ph_none')).toBeUndefined();
    await lightbox.close();
    raw.disconnect();
  });

  it('warns when Redis keeps nothing on disk, and refuses one that may evict keys', async () => {
    const raw = createRedis(redisServer.url);
    await raw.config('SET', 'appendonly', 'no');
    await raw.config('SET', 'save', '');
    const lightbox = await openLightbox(config(randomPrefix('open')), { name: 'test', log });
    expect(warnings.join('\n')).toMatch(/keeps nothing on disk/);
    await lightbox.close();
    await raw.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await expect(openLightbox(config(randomPrefix('open')), { name: 'test', log })).rejects.toBeInstanceOf(
      UnsafeRedisError,
    );
    await raw.config('SET', 'maxmemory-policy', 'noeviction');
    raw.disconnect();
  });
});
