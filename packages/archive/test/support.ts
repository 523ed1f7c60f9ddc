import { S3ObjectStore } from '@lightbox/storage';
import { startLocalRedis, startLocalS3, type TestRedis, type TestS3 } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/** A real redis-server and s3rver for the file's tests; read `backends.redis` etc. inside tests. */
export function useRedisAndS3() {
  const backends = {} as { redis: Redis; store: S3ObjectStore; s3: TestS3 };
  let redisServer: TestRedis | undefined;
  beforeAll(async () => {
    const [r, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redisServer = r;
    backends.s3 = s3;
    backends.redis = new Redis(r.url);
    backends.store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await backends.store.ensureBucket();
  });
  afterAll(async () => {
    backends.redis?.disconnect();
    backends.store?.destroy();
    await Promise.all([redisServer?.stop(), backends.s3?.stop()]);
  });
  return backends;
}
