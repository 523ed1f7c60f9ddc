import { Readable } from 'node:stream';
import { AuditLog, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { objectKeys, type Photo } from '@lightbox/contracts';
import { spliceJpegMetadata } from '@lightbox/imaging';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { buildIimBlock, buildXmpPacket, iimDigest, type RightsRecord } from '@lightbox/metadata';
import { C2paValidator } from '@lightbox/provenance';
import { LifecycleWork, PipelineQueues } from '@lightbox/queue';
import { S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk } from '@lightbox/story-desk';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Reconciler } from '../src/index.js';

/** A small agency JPEG: distinct pixels per `seed`, IIM + XMP fields, a transmission reference. */
async function wireJpeg(fields: RightsRecord & { ref: string }, seed: number): Promise<Buffer> {
  const base = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: seed % 256, g: (seed * 7) % 256, b: 90 } },
  })
    .jpeg()
    .toBuffer();
  const ref = Buffer.concat([Buffer.from([0x1c, 2, 103, 0, fields.ref.length]), Buffer.from(fields.ref)]);
  const block = Buffer.concat([buildIimBlock(fields), ref]);
  return spliceJpegMetadata(base, { iim: block, iimDigest: iimDigest(block), xmp: buildXmpPacket(fields) });
}

const AP = {
  byline: 'Jane Doe',
  credit: 'AP',
  source: 'AP',
  objectName: 'Harbour regatta',
  dateCreated: '2024-08-20T19:04:12+02:00',
};

describe('Reconciler: object storage is the source of truth, Redis can be rebuilt', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;
  let prefix: string;
  const closers: (() => Promise<void>)[] = [];

  /** Every process's view of one Lightbox: intake, desk, catalogs and the reconciler. */
  function lightbox() {
    const photos = new PhotoCatalog(redis, prefix);
    const stories = new StoryCatalog(redis, prefix);
    const queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    closers.push(() => queues.close());
    const lifecycle = new PhotoLifecycle(redis, prefix, photos);
    const acceptances = new AcceptanceLog(store);
    const { desk, publishing, copies } = createStoryDesk(
      { stories, photos, lifecycle, queues, store },
      { publishDelayMs: 100, publishSpacingMs: 1000, storyAutoCloseHours: 48 },
    );
    const intake = new PhotoIntake({
      store,
      photos,
      lifecycle,
      work: new LifecycleWork(queues, (storyId) => publishing.schedule(storyId)),
      audit: new AuditLog(redis, prefix),
      acceptances,
      provenance: new ProvenanceStep({ validator: new C2paValidator(), store }),
      maxBytes: 5_000_000,
      maxInputPixels: 100_000_000,
    });
    const reconciler = new Reconciler({
      redis,
      prefix,
      store,
      acceptances,
      intake,
      photos,
      stories,
      copies,
      desk,
      queues,
      publishing,
      log: createLogger({ name: 'reconcile-test', level: 'silent' }),
    });
    const push = (bytes: Buffer, feed = 'ap') =>
      intake.acceptStream(Readable.from([bytes]), { feed, route: 'http' });
    return { photos, stories, queues, desk, copies, intake, reconciler, push, acceptances };
  }

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
  });
  beforeEach(async () => {
    // Each test on its own bucket and a Redis that starts empty.
    store?.destroy();
    store = new S3ObjectStore({ ...s3, bucket: `recovery-${Math.random().toString(36).slice(2, 10)}` });
    await store.ensureBucket();
    await redis.flushall();
    prefix = randomPrefix('recovery');
  });
  afterAll(async () => {
    for (const close of closers) await close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  const snapshot = async (lb: ReturnType<typeof lightbox>, ids: string[]) =>
    Promise.all(
      ids.map(async (id) => {
        const p = (await lb.photos.get(id)) as Photo;
        const versions = await lb.photos.versions(id);
        return {
          id,
          status: p.status,
          version: p.version,
          caption: p.metadata?.caption,
          killed: p.killed?.reason,
          versions: versions.map((v) => [v.version, v.kind, v.outcome, v.receivedAt]),
        };
      }),
    );

  it('after a total loss, replays every acceptance in arrival order: versions, kills and stories come back', async () => {
    const before = lightbox();
    const story = await before.desk.create({
      slug: 'regatta',
      headline: 'Harbour regatta',
      event: {
        name: 'Harbour regatta',
        start: '2024-08-20T18:00:00+02:00',
        end: '2024-08-20T23:00:00+02:00',
      },
    });
    await before.desk.setLayout(story.id, { order: [], cover: null });
    const a = await before.push(await wireJpeg({ ...AP, ref: 'R1', caption: 'Boats at the start.' }, 1));
    const b = await before.push(await wireJpeg({ ...AP, ref: 'R2', caption: 'A capsize at the mark.' }, 2));
    const c = await before.push(await wireJpeg({ ...AP, ref: 'R3', caption: 'Winners celebrate.' }, 3));
    // A correction of A, a kill of B, and a kill that arrives before its picture (D).
    await before.push(await wireJpeg({ ...AP, ref: 'R1', caption: 'CORRECTS NAME Boats at the start.' }, 4));
    await before.push(
      await wireJpeg({ ...AP, ref: 'R2', caption: 'MANDATORY KILL', specialInstructions: 'KILL' }, 5),
    );
    const d = await before.push(
      await wireJpeg({ ...AP, ref: 'R4', caption: 'ELIMINATE', specialInstructions: 'KILL' }, 6),
    );
    await before.push(await wireJpeg({ ...AP, ref: 'R4', caption: 'Fans on the quay.' }, 7));
    // Another feed's attempt to kill A is refused, and leaves no acceptance behind.
    const refused = await before.push(
      await wireJpeg({ ...AP, ref: 'R1', caption: 'KILL', specialInstructions: 'KILL' }, 8),
      'rival',
    );
    expect(refused.reason).toMatch(/identity_owned_by_other_feed/);
    const ids = [a.photoId, b.photoId, c.photoId, d.photoId];
    const expected = await snapshot(before, ids);
    expect(expected.map((p) => [p.status, p.version])).toEqual([
      ['received', 2],
      ['killed', 1],
      ['received', 1],
      ['killed', 1],
    ]);

    await redis.flushall(); // every key: photos, stories, queues
    const after = lightbox();
    const report = await after.reconciler.run({ graceMs: 0 });
    expect(report).toMatchObject({ ran: true, storiesAdopted: [story.id], failures: [] });
    expect(report.acceptancesScanned).toBe(7);
    expect(await snapshot(after, ids)).toEqual(expected);
    expect(await after.stories.get(story.id)).toEqual(
      await before.copies.read(story.id).then((c) => c?.story),
    );
    // The pipeline has its work again, as when they came: A v1 and v2, B before its kill, C (the
    // stages skip what a kill made moot).
    expect((await after.queues.counts()).find((q) => q.name === 'render')?.waiting).toBe(4);

    // Exactly once: a second run (or a racing one) replays nothing.
    const [again, racing] = await Promise.all([
      after.reconciler.run({ graceMs: 0 }),
      after.reconciler.run({ graceMs: 0 }),
    ]);
    expect([again.ran, racing.ran].sort()).toEqual([false, true]);
    const ran = again.ran ? again : racing;
    expect(ran.replayed).toEqual({});
    expect(ran.storiesAdopted).toEqual([]);
    expect(await snapshot(after, ids)).toEqual(expected);
  });

  /** Every key's value now: what a replica that stops receiving writes here would hold. */
  async function checkpoint(): Promise<Map<string, Buffer>> {
    const dumps = new Map<string, Buffer>();
    for (const key of await redis.keys('*')) dumps.set(key, (await redis.dumpBuffer(key)) as Buffer);
    return dumps;
  }
  /** Redis as the promoted replica has it: everything written after the checkpoint is gone. */
  async function failoverTo(dumps: Map<string, Buffer>): Promise<void> {
    await redis.flushall();
    for (const [key, dump] of dumps) await redis.restore(key, 0, dump);
  }

  it('after a failover lost the last writes, replays only those, after what Redis kept', async () => {
    const lb = lightbox();
    const a = await lb.push(await wireJpeg({ ...AP, ref: 'F1', caption: 'Kept by the replica.' }, 11));
    const replica = await checkpoint();
    const b = await lb.push(await wireJpeg({ ...AP, ref: 'F2', caption: 'Lost in the failover.' }, 12));
    const kill = await lb.push(
      await wireJpeg({ ...AP, ref: 'F1', caption: 'KILL', specialInstructions: 'KILL' }, 13),
    );
    expect(kill).toMatchObject({ photoId: a.photoId, status: 'killed' });
    await failoverTo(replica);
    expect((await lb.photos.get(a.photoId))?.status).toBe('received');
    expect(await lb.photos.get(b.photoId)).toBeUndefined();

    const report = await lb.reconciler.run({ graceMs: 0, days: 1 });
    expect(report.acceptancesScanned).toBe(3);
    expect(report.replayed).toEqual({ current: 1, killed: 1 });
    expect((await lb.photos.get(a.photoId))?.status).toBe('killed');
    expect(await lb.photos.versions(a.photoId)).toHaveLength(2);
    expect((await lb.photos.get(b.photoId))?.status).toBe('received');
  });

  it('queues the next step of photos whose job was lost, once per state', async () => {
    const lb = lightbox();
    const a = await lb.push(await wireJpeg({ ...AP, ref: 'S1', caption: 'Waiting for render.' }, 21));
    await lb.queues.queue('render').obliterate({ force: true }); // the job was lost, the record kept
    const first = await lb.reconciler.run({ graceMs: 0 });
    expect(first.requeued).toEqual({ render: 1 });
    expect(await lb.queues.queue('render').getJobCountByTypes('waiting')).toBe(1);
    const second = await lb.reconciler.run({ graceMs: 0 });
    expect(second.requeued).toEqual({});
    // Too recent: its upload may still be running.
    await lb.queues.queue('render').obliterate({ force: true });
    expect((await lb.reconciler.run({ graceMs: 60_000 })).requeued).toEqual({});
    expect(a.status).toBe('received');
  });

  it('state an earlier release wrote (no acceptances, no story copies) is filed in storage and survives a total loss', async () => {
    const lb = lightbox();
    const story = await lb.stories.create({
      slug: 'old-story',
      headline: 'Written by the previous release',
      event: {
        name: 'Harbour regatta',
        start: '2024-08-20T18:00:00+02:00',
        end: '2024-08-20T23:00:00+02:00',
      },
    });
    const a = await lb.push(await wireJpeg({ ...AP, ref: 'E1', caption: 'An old photo.' }, 31));
    // As the previous release left it: no acceptance record, no story copy.
    for (const key of await store.list('acceptances/')) await store.delete(key);
    await store.delete(objectKeys.storyCopy(story.id));
    const before = await snapshot(lb, [a.photoId]);

    const first = await lb.reconciler.run({ graceMs: 0 });
    expect(first.earlierReleaseSnapshots).toBe(1);
    expect((await lb.copies.read(story.id))?.story.slug).toBe('old-story');

    await redis.flushall();
    const report = await lightbox().reconciler.run({ graceMs: 0 });
    expect(report).toMatchObject({ storiesAdopted: [story.id], snapshotsImported: 1 });
    expect(await snapshot(lb, [a.photoId])).toEqual(before);
  });
});
