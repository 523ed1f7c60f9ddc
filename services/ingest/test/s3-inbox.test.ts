import type { Readable } from 'node:stream';
import type { IntakeResult, IntakeSource } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { createRedis, type Redis } from '@lightbox/redis';
import { S3ObjectStore } from '@lightbox/storage';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3InboxPoller } from '../src/index.js';

describe('S3 inbox on real S3 and Redis', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3('inbox')]);
    redis = createRedis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'inbox' });
    await store.ensureBucket();
  });
  afterAll(async () => {
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  function poller(
    prefix: string,
    redisPrefix: string,
    accept: (body: Readable, source: IntakeSource) => Promise<IntakeResult>,
    maxBytes?: number,
  ) {
    return new S3InboxPoller({
      store,
      prefix,
      feed: 'afp-s3',
      redis,
      redisPrefix,
      pollMs: 60_000,
      accept,
      log: createLogger({ name: 't', level: 'silent' }),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
    });
  }

  it('two pollers take every object exactly once, then move it to _processed', async () => {
    const prefix = 'drop-a/';
    const redisPrefix = randomPrefix('inbox');
    for (let i = 0; i < 12; i++)
      await store.put(`${prefix}photo-${i}.jpg`, Buffer.from(`jpeg ${i}`), { contentType: 'image/jpeg' });
    await store.put(`${prefix}photo-3.xml`, '<newsItem/>', { contentType: 'application/xml' });
    const taken: string[] = [];
    const sidecars: string[] = [];
    const accept = async (body: Readable, source: IntakeSource): Promise<IntakeResult> => {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      taken.push(Buffer.concat(chunks).toString());
      if (source.sidecar) sidecars.push(`${source.filename}:${source.sidecar.toString()}`);
      await new Promise((r) => setTimeout(r, 5));
      return { photoId: `ph_${taken.length}`, status: 'received', duplicate: false };
    };
    const a = poller(prefix, redisPrefix, accept);
    const b = poller(prefix, redisPrefix, accept);
    await Promise.all([a.poll(), b.poll(), a.poll(), b.poll()]);
    expect(taken.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `jpeg ${i}`).sort());
    expect(sidecars).toEqual(['photo-3.jpg:<newsItem/>']);
    const left = await store.list(prefix);
    expect(left.filter((k) => !k.startsWith(`${prefix}_processed/`))).toEqual([]);
    expect(left).toHaveLength(13);
  });

  it('moves rejects to _error with a reason, and retries after a failed hand-off', async () => {
    const prefix = 'drop-b/';
    const redisPrefix = randomPrefix('inbox');
    await store.put(`${prefix}notes.jpg`, 'not a photo', { contentType: 'image/jpeg' });
    await store.put(`${prefix}flaky.jpg`, 'jpeg', { contentType: 'image/jpeg' });
    let failOnce = true;
    const p = poller(prefix, redisPrefix, async (_body, source) => {
      if (source.filename === 'flaky.jpg' && failOnce) {
        failOnce = false;
        throw new Error('Redis hiccup');
      }
      return source.filename === 'notes.jpg'
        ? {
            photoId: 'ph_x',
            status: 'rejected',
            duplicate: false,
            reason: 'unsupported_format: not an image',
          }
        : { photoId: 'ph_y', status: 'received', duplicate: false };
    });
    await p.poll();
    expect(await store.list(`${prefix}flaky`)).toEqual([`${prefix}flaky.jpg`]);
    await p.poll();
    expect((await store.list(prefix)).sort()).toEqual([
      `${prefix}_error/notes.jpg`,
      `${prefix}_error/notes.jpg.reason.txt`,
      `${prefix}_processed/flaky.jpg`,
    ]);
    expect((await store.get(`${prefix}_error/notes.jpg.reason.txt`)).toString()).toMatch(
      /^unsupported_format: not an image/,
    );
  });

  it('sends an object over the upload limit to _error at once, without reading it (it was retried forever)', async () => {
    const prefix = 'drop-c/';
    await store.put(`${prefix}huge.jpg`, Buffer.alloc(5000, 1), { contentType: 'image/jpeg' });
    let reads = 0;
    const p = poller(
      prefix,
      randomPrefix('inbox'),
      async () => {
        reads++;
        return { photoId: 'ph_z', status: 'received', duplicate: false };
      },
      1000,
    );
    await p.poll();
    await p.poll();
    expect(reads).toBe(0);
    expect((await store.list(prefix)).sort()).toEqual([
      `${prefix}_error/huge.jpg`,
      `${prefix}_error/huge.jpg.reason.txt`,
    ]);
    expect((await store.get(`${prefix}_error/huge.jpg.reason.txt`)).toString()).toMatch(/^too_large: /);
  });

  it('a version refused alone (the photo kept its picture) goes to _error too', async () => {
    const prefix = 'drop-d/';
    await store.put(`${prefix}cut.jpg`, 'jpeg', { contentType: 'image/jpeg' });
    const p = poller(prefix, randomPrefix('inbox'), async () => ({
      photoId: 'ph_w',
      status: 'published',
      duplicate: false,
      outcome: 'rejected',
      reason: 'truncated_image: the file ends early',
    }));
    await p.poll();
    expect((await store.list(`${prefix}_error/`)).sort()).toEqual([
      `${prefix}_error/cut.jpg`,
      `${prefix}_error/cut.jpg.reason.txt`,
    ]);
  });

  it('moves an object a stage rejected after hand-off from _processed to _error, with the reason (it stayed in _processed)', async () => {
    const prefix = 'drop-e/';
    await store.put(`${prefix}late.jpg`, 'jpeg', { contentType: 'image/jpeg' });
    const notices = [] as { photoId: string; version: number; filename: string; reason: string }[];
    const rejections = {
      drain: async (_feed: string, handle: (r: (typeof notices)[number]) => Promise<void>) => {
        for (const n of notices.splice(0)) await handle(n);
        return 0;
      },
    };
    const p = new S3InboxPoller({
      store,
      prefix,
      feed: 'afp-s3',
      redis,
      redisPrefix: randomPrefix('inbox'),
      pollMs: 60_000,
      accept: async () => ({ photoId: 'ph_l', status: 'received', duplicate: false }),
      log: createLogger({ name: 't', level: 'silent' }),
      rejections,
    });
    await p.poll();
    expect(await store.list(`${prefix}_processed/`)).toEqual([`${prefix}_processed/late.jpg`]);
    notices.push({ photoId: 'ph_l', version: 1, filename: 'late.jpg', reason: 'corrupt_image: damaged' });
    await p.poll();
    expect(await store.list(`${prefix}_processed/`)).toEqual([]);
    expect((await store.get(`${prefix}_error/late.jpg.reason.txt`)).toString()).toMatch(
      /^corrupt_image: damaged\nphotoId: ph_l/,
    );
    expect(await store.list(`${prefix}_error/late.jpg`)).toContain(`${prefix}_error/late.jpg`);
  });
});
