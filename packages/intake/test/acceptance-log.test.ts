import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AuditLog, PhotoCatalog, PhotoLifecycle } from '@lightbox/catalog';
import { objectKeys } from '@lightbox/contracts';
import { C2paValidator } from '@lightbox/provenance';
import { LifecycleWork, PipelineQueues } from '@lightbox/queue';
import { S3ObjectStore } from '@lightbox/storage';
import {
  fixturePath,
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Acceptance,
  AcceptanceLog,
  daysBetween,
  inArrivalOrder,
  PhotoIntake,
  ProvenanceStep,
  parseAcceptanceKey,
  photoIdFor,
  replayAcceptance,
} from '../src/index.js';
import { wireJpeg } from './wire-jpeg.js';

const FP = 'ab'.repeat(32);
const AP = {
  byline: 'Natacha Pisarenko',
  credit: 'AP',
  source: 'AP',
  objectName: 'Paris Olympics Closing Ceremony',
  dateCreated: '2024-08-11T21:04:12+02:00',
};
const CAPTION = 'Athletes cross the line. (AP Photo/Natacha Pisarenko)';

describe('acceptance keys', () => {
  it('name the UTC day, then the arrival time and fingerprint, so a listing is in arrival order', () => {
    const key = objectKeys.acceptance('2024-08-20T19:05:07.042Z', FP);
    expect(key).toBe(`acceptances/2024-08-20/190507042-${FP}.json`);
    expect(parseAcceptanceKey(key)).toEqual({
      key,
      fingerprint: FP,
      at: Date.parse('2024-08-20T19:05:07.042Z'),
    });
    expect(parseAcceptanceKey('acceptances/2024-08-20/junk.json')).toBeUndefined();
    // Since one record per upload: the upload's id follows; records without one still read.
    const perUpload = objectKeys.acceptance('2024-08-20T19:05:07.042Z', FP, '0a1b2c3d4e5f60718293');
    expect(perUpload).toBe(`acceptances/2024-08-20/190507042-${FP}-0a1b2c3d4e5f60718293.json`);
    expect(parseAcceptanceKey(perUpload)).toMatchObject({
      fingerprint: FP,
      at: Date.parse('2024-08-20T19:05:07.042Z'),
    });
  });

  it('orders by arrival and keeps the first arrival of a fingerprint accepted twice', () => {
    const ref = (t: string, fp: string) => parseAcceptanceKey(objectKeys.acceptance(t, fp)) as never;
    const other = 'cd'.repeat(32);
    expect(
      inArrivalOrder([
        ref('2024-08-21T00:00:01.000Z', FP),
        ref('2024-08-20T23:59:59.999Z', other),
        ref('2024-08-20T10:00:00.000Z', FP),
      ]).map((r) => [r.fingerprint.slice(0, 2), new Date(r.at).toISOString()]),
    ).toEqual([
      ['ab', '2024-08-20T10:00:00.000Z'],
      ['cd', '2024-08-20T23:59:59.999Z'],
    ]);
  });

  it('lists the UTC days of a window', () => {
    expect(daysBetween(Date.parse('2024-08-20T23:00:00Z'), Date.parse('2024-08-22T01:00:00Z'))).toEqual([
      '2024-08-20',
      '2024-08-21',
      '2024-08-22',
    ]);
  });
});

describe('acknowledged means durable: the acceptance record', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;
  let log: AcceptanceLog;
  const open: { close(): Promise<void> }[] = [];

  /** An intake on its own key prefix: a fresh, empty Redis state each time. */
  function intakeOn(
    prefix = randomPrefix('accept'),
    extra: { waits?: string[]; failRecording?: boolean } = {},
  ) {
    const photos = new PhotoCatalog(redis, prefix);
    const queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    open.push(queues);
    const lifecycle = new PhotoLifecycle(redis, prefix, photos);
    if (extra.failRecording)
      lifecycle.recordTransmission = async () => {
        throw new Error('Redis went away');
      };
    const intake = new PhotoIntake({
      store,
      photos,
      lifecycle,
      work: new LifecycleWork(queues),
      audit: new AuditLog(redis, prefix),
      acceptances: log,
      provenance: new ProvenanceStep({ validator: new C2paValidator(), store }),
      replicaAcks: {
        wait: async () => {
          extra.waits?.push('wait');
          return { needed: 0, acked: 0 };
        },
      },
      maxBytes: 5_000_000,
      maxInputPixels: 100_000_000,
    });
    return { intake, photos, queues };
  }

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await store.ensureBucket();
    log = new AcceptanceLog(store);
  });
  afterAll(async () => {
    for (const o of open) await o.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  const findRecord = async (fingerprint: string) => {
    const refs = (await log.list()).filter((r) => r.fingerprint === fingerprint);
    return Promise.all(refs.map((r) => log.read(r.key)));
  };

  it('keeps one record per upload: a duplicate of the same bytes in the same millisecond withdraws only its own', async () => {
    // Found by a hostile test: 30 parallel uploads of one file; a loser's withdraw deleted the
    // winner's record (same arrival millisecond, same fingerprint), so the photo was lost with Redis.
    const fingerprint = 'ef'.repeat(32);
    const fields = {
      fingerprint,
      sha256: fingerprint,
      feed: 'ap',
      receivedAt: '2024-08-20T19:05:07.042Z',
      contentType: 'image/jpeg',
      bytes: 3,
      identityKeys: [],
    };
    const winner = await log.record({
      ...fields,
      originalKey: 'originals/2024-08-20/aaaaaaaaaaaaaaaaaaaa.jpg',
    });
    const loser = await log.record({
      ...fields,
      originalKey: 'originals/2024-08-20/bbbbbbbbbbbbbbbbbbbb.jpg',
    });
    await log.withdraw(loser);
    expect((await findRecord(fingerprint)).map((r) => (r as Acceptance).originalKey)).toEqual([
      winner.originalKey,
    ]);
  });

  it('stores the record (feed, identity, sha256, time, route, name, sidecar) before answering', async () => {
    const waits: string[] = [];
    const { intake, photos } = intakeOn(undefined, { waits });
    const sidecar = await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml'));
    const result = await intake.acceptStream(Readable.from([await wireJpeg({}, 201)]), {
      feed: 'getty',
      route: 'http',
      filename: 'GYI0062134533.jpg',
      sidecar,
    });
    expect(result.status).toBe('received');
    const photo = await photos.require(result.photoId);
    const refs = (await log.list()).filter((r) => photoIdFor(r.fingerprint) === result.photoId);
    expect(refs).toHaveLength(1);
    const record = (await log.read((refs[0] as { key: string }).key)) as Acceptance;
    expect(record).toMatchObject({
      format: 'lightbox-acceptance/1',
      sha256: photo.sha256,
      feed: 'getty',
      route: 'http',
      filename: 'GYI0062134533.jpg',
      receivedAt: photo.receivedAt,
      originalKey: photo.originalKey,
      contentType: 'image/jpeg',
    });
    expect(record.identityKeys.join(' ')).toMatch(/GYI0062134533/i);
    expect((await store.get(record?.sidecarKey as string)).equals(sidecar)).toBe(true);
    expect(waits).toEqual(['wait']); // replicas asked once the work was queued
  });

  it('is in object storage even when Redis fails to record the transmission', async () => {
    const { intake } = intakeOn(undefined, { failRecording: true });
    const bytes = await wireJpeg({}, 202);
    await expect(intake.acceptStream(Readable.from([bytes]), { feed: 'ap' })).rejects.toThrow(
      /Redis went away/,
    );
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const [record] = (await findRecord(sha)) as Acceptance[];
    expect(record).toMatchObject({ sha256: sha, feed: 'ap' });
    expect((await store.get(record?.originalKey as string)).equals(bytes)).toBe(true);
  });

  it('writes nothing for a duplicate, unusable bytes, or a transmission refused as a whole', async () => {
    const { intake } = intakeOn();
    const before = (await log.list()).length;
    const bytes = await wireJpeg({ ...AP, caption: CAPTION, transmissionReference: 'REF1' }, 203);
    await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    expect((await log.list()).length).toBe(before + 1);
    await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' }); // duplicate
    await intake.acceptStream(Readable.from([Buffer.from('not an image')]), { feed: 'ap' });
    const kill = {
      ...AP,
      caption: 'MANDATORY KILL',
      transmissionReference: 'REF1',
      specialInstructions: 'KILL',
    };
    const refused = await intake.acceptStream(Readable.from([await wireJpeg(kill, 204)]), { feed: 'rival' });
    expect(refused.reason).toMatch(/^identity_owned_by_other_feed/);
    expect((await log.list()).length).toBe(before + 1);
  });

  it('replays into an empty Redis as the same photo, version and time, once', async () => {
    const first = intakeOn();
    const ref = { ...AP, transmissionReference: 'REPLAY1' };
    const original = await first.intake.acceptStream(
      Readable.from([await wireJpeg({ ...ref, caption: CAPTION }, 210)]),
      {
        feed: 'ap',
        filename: 'a.jpg',
      },
    );
    const correction = await first.intake.acceptStream(
      Readable.from([await wireJpeg({ ...ref, caption: `CORRECTS NAME ${CAPTION}` }, 211)]),
      { feed: 'ap', filename: 'b.jpg' },
    );
    expect(correction).toMatchObject({ photoId: original.photoId, version: 2, kind: 'correction' });
    const before = await first.photos.versions(original.photoId);

    const rebuilt = intakeOn(); // Redis lost everything
    const refs = inArrivalOrder(await log.list()).filter((r) =>
      before.some((v) => Date.parse(v.receivedAt) === r.at),
    );
    expect(refs).toHaveLength(2);
    for (const r of refs) await replayAcceptance(rebuilt.intake, log, (await log.read(r.key)) as Acceptance);
    expect(
      (await rebuilt.photos.versions(original.photoId)).map((v) => [
        v.version,
        v.kind,
        v.receivedAt,
        v.filename,
      ]),
    ).toEqual(before.map((v) => [v.version, v.kind, v.receivedAt, v.filename]));
    expect((await rebuilt.photos.require(original.photoId)).version).toBe(2);
    // A second replay changes nothing.
    const again = await replayAcceptance(
      rebuilt.intake,
      log,
      (await log.read((refs[1] as { key: string }).key)) as Acceptance,
    );
    expect(again).toMatchObject({ photoId: original.photoId, duplicate: true });
    expect(await rebuilt.photos.versions(original.photoId)).toHaveLength(2);
  });
});
