import { readdir, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { PhotoCatalog } from '@lightbox/catalog';
import { PipelineQueues } from '@lightbox/queue';
import { S3ObjectStore } from '@lightbox/storage';
import {
  fixturePath,
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
  tempDir,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PhotoIntake,
  photoIdFor,
  sanitizeFilename,
  sniffImageFormat,
  UploadTooLargeError,
} from '../src/index.js';

describe('sniffImageFormat / sanitizeFilename', () => {
  it('recognises formats by their bytes', async () => {
    const jpeg = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    expect(sniffImageFormat(jpeg.subarray(0, 32))?.format).toBe('jpeg');
    expect(sniffImageFormat(Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'))?.ext).toBe('png');
    expect(sniffImageFormat(Buffer.from('RIFF0000WEBPVP8 ', 'latin1'))?.format).toBe('webp');
    expect(sniffImageFormat(Buffer.from('<?xml version="1.0"?>', 'latin1'))).toBeUndefined();
  });
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\feeds\\AP\\photo.jpg', 'photo.jpg'],
    ['evil\u0000name\n.jpg', 'evilname.jpg'],
    ['..', undefined],
    ['', undefined],
  ])('sanitizeFilename(%j)', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });
});

describe('PhotoIntake on real Redis and S3', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;
  let photos: PhotoCatalog;
  let queues: PipelineQueues;
  let intake: PhotoIntake;
  let spool: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await store.ensureBucket();
    const prefix = randomPrefix('intake');
    photos = new PhotoCatalog(redis, prefix);
    queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    spool = await tempDir();
    intake = new PhotoIntake({ store, photos, queues, spoolDir: spool.path, maxBytes: 1_000_000 });
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop(), spool?.remove()]);
  });

  it('stores the original by hash, records the photo and queues ingest', async () => {
    const bytes = await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg'));
    const result = await intake.acceptStream(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
      feed: 'reuters',
      filename: '../x/REUTERS 1.jpg',
    });
    expect(result).toMatchObject({ status: 'received', duplicate: false });
    const photo = await photos.require(result.photoId);
    expect(photo).toMatchObject({
      feed: 'reuters',
      filename: 'REUTERS 1.jpg',
      contentType: 'image/jpeg',
      bytes: bytes.length,
    });
    expect(photo.originalKey).toBe(`originals/${photo.sha256}.jpg`);
    expect(result.photoId).toBe(photoIdFor(photo.sha256));
    expect((await store.get(photo.originalKey)).equals(bytes)).toBe(true);
    expect((await queues.counts()).find((c) => c.name === 'ingest')?.waiting).toBe(1);
    expect(await readdir(spool.path)).toEqual([]);
  });

  it('acknowledges exact duplicates with the same id and queues nothing new', async () => {
    const bytes = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    const first = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    const again = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    expect(again).toEqual({ photoId: first.photoId, status: 'received', duplicate: true, reason: undefined });
    const ingest = (await queues.counts()).find((c) => c.name === 'ingest');
    expect(ingest?.waiting).toBe(2); // one per distinct photo across this suite
  });

  it('rejects non-image bytes with a recorded reason', async () => {
    const result = await intake.acceptStream(Readable.from([Buffer.from('<html>login page</html>')]), {
      feed: 'ap',
      filename: 'photo.jpg',
    });
    expect(result).toMatchObject({ status: 'rejected', duplicate: false });
    expect(result.reason).toMatch(/^unsupported_format: /);
    expect(await photos.require(result.photoId)).toMatchObject({ status: 'rejected', error: result.reason });
  });

  it('rejects empty uploads', async () => {
    const result = await intake.acceptStream(Readable.from([]), { feed: 'ap' });
    expect(result.reason).toMatch(/^empty_file/);
  });

  it('stops reading at the size limit and cleans up', async () => {
    const big = Buffer.alloc(1_500_000, 0xff);
    big[0] = 0xff;
    big[1] = 0xd8;
    await expect(
      intake.acceptStream(Readable.from([big.subarray(0, 700_000), big.subarray(700_000)]), { feed: 'ap' }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(await readdir(spool.path)).toEqual([]);
  });

  it('accepts files on disk without touching them', async () => {
    const path = fixturePath('real/camera/door-knocker.jpg');
    const result = await intake.acceptFile(path, { feed: 'hotfolder', filename: 'door-knocker.jpg' });
    expect(result.status).toBe('received');
    expect((await readFile(path)).length).toBeGreaterThan(0);
  });
});
