import { Readable } from 'node:stream';
import { AuditLog, PhotoCatalog, PhotoLifecycle } from '@lightbox/catalog';
import { parseFeedRules } from '@lightbox/feed-rules';
import { C2paValidator } from '@lightbox/provenance';
import { BULK_PRIORITY, LifecycleWork, PipelineQueues } from '@lightbox/queue';
import { S3ObjectStore } from '@lightbox/storage';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcceptanceLog, type IntakeDeps, PhotoIntake, ProvenanceStep } from '../src/index.js';
import { wireJpeg } from './wire-jpeg.js';

/** Issue 16 phase B at intake: fresh-first priority, per-feed rules, feed arrivals. */
describe('intake desk steps on real Redis and S3', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;
  let queues: PipelineQueues;
  let photos: PhotoCatalog;
  let deps: Omit<IntakeDeps, 'maxBytes' | 'maxInputPixels'>;

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await store.ensureBucket();
    const prefix = randomPrefix('intake-desk');
    photos = new PhotoCatalog(redis, prefix);
    queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    deps = {
      store,
      photos,
      lifecycle: new PhotoLifecycle(redis, prefix, photos),
      work: new LifecycleWork(queues),
      audit: new AuditLog(redis, prefix),
      acceptances: new AcceptanceLog(store),
      provenance: new ProvenanceStep({ validator: new C2paValidator(), store }),
    };
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  const intakeWith = (extra: Partial<IntakeDeps> = {}) =>
    new PhotoIntake({ ...deps, maxBytes: 1_000_000, maxInputPixels: 100_000_000, ...extra });
  const renderPriority = async (photoId: string) => {
    const jobs = await queues.queue('render').getJobs(['waiting', 'prioritized']);
    return jobs.filter((j) => j.data.photoId === photoId).map((j) => j.opts.priority ?? 0);
  };

  it('a bulk transmission is recorded as bulk and its render waits behind live work; a live version clears it', async () => {
    const intake = intakeWith();
    const fields = {
      credit: 'AP',
      source: 'AP',
      transmissionReference: 'BULK001',
      objectName: 'Bulk import',
      dateCreated: '2019-03-01T12:00:00+00:00',
    };
    const first = await intake.acceptStream(
      Readable.from([await wireJpeg({ ...fields, caption: 'An archive picture. (AP Photo/A)' }, 301)]),
      { feed: 'ap', priority: 'bulk' },
    );
    expect((await photos.require(first.photoId)).priority).toBe('bulk');
    expect(await renderPriority(first.photoId)).toEqual([BULK_PRIORITY]);

    const update = await intake.acceptStream(
      Readable.from([
        await wireJpeg({ ...fields, caption: 'CORRECTS NAME An archive picture. (AP Photo/A)' }, 302),
      ]),
      { feed: 'ap' },
    );
    expect(update).toMatchObject({ photoId: first.photoId, version: 2 });
    expect((await photos.require(first.photoId)).priority).toBeUndefined();
  });

  it("applies the feed's rules: codes replaced, the credit line normalised, default restrictions added", async () => {
    const feedRules = parseFeedRules(
      [
        'version: 1',
        'defaults:',
        '  codes: { nyc: New York City }',
        'feeds:',
        '  ap:',
        '    credit:',
        '      agencies: { The Associated Press: AP }',
        '      template: "{agency} Photo/{photographer}"',
        '    restrictions: [mandatory credit]',
      ].join('\n'),
      'feeds.yaml',
    );
    const intake = intakeWith({ feedRules });
    const result = await intake.acceptStream(
      Readable.from([
        await wireJpeg(
          {
            caption: "Fans cheer in Times Square, \\nyc, on New Year's Eve.",
            byline: 'Jane Doe',
            credit: 'The Associated Press',
            specialInstructions: 'NO SALES',
          },
          303,
        ),
      ]),
      { feed: 'ap' },
    );
    const photo = await photos.require(result.photoId);
    expect(photo.metadata?.caption).toBe("Fans cheer in Times Square, New York City, on New Year's Eve.");
    expect(photo.metadata?.creditLine).toBe('AP Photo/Jane Doe');
    expect(photo.restrictions).toEqual(['NO SALES', 'MANDATORY CREDIT']);
    // Another feed: the defaults only.
    const other = await intake.acceptStream(
      Readable.from([await wireJpeg({ caption: 'Snow in \\nyc.', credit: 'Reuters' }, 304)]),
      { feed: 'reuters' },
    );
    const plain = await photos.require(other.photoId);
    expect(plain.metadata?.caption).toBe('Snow in New York City.');
    expect(plain.restrictions ?? []).toEqual([]);
  });

  it('counts every transmission for feed health: bad input as rejected, duplicates as arrivals', async () => {
    const counted: [string, string][] = [];
    const intake = intakeWith({
      arrivals: {
        arrival: async (feed, outcome) => {
          counted.push([feed, outcome]);
        },
      },
    });
    const bytes = await wireJpeg({ caption: 'A wire picture.', credit: 'dpa' }, 305);
    await intake.acceptStream(Readable.from([bytes]), { feed: 'dpa' });
    await intake.acceptStream(Readable.from([bytes]), { feed: 'dpa' });
    await intake.acceptStream(Readable.from([Buffer.from('not a picture')]), { feed: 'dpa' });
    expect(counted).toEqual([
      ['dpa', 'accepted'],
      ['dpa', 'accepted'],
      ['dpa', 'rejected'],
    ]);
  });

  it('a feed-health store that fails never fails the transmission', async () => {
    const intake = intakeWith({ arrivals: { arrival: () => Promise.reject(new Error('Redis away')) } });
    const result = await intake.acceptStream(Readable.from([await wireJpeg({ caption: 'x' }, 306)]), {
      feed: 'dpa',
    });
    expect(result).toMatchObject({ status: 'received', duplicate: false });
  });
});
