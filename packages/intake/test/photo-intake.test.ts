import { readdir, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AuditLog, PhotoCatalog, PhotoLifecycle } from '@lightbox/catalog';
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
  tempDir,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptanceLog,
  type IntakeDeps,
  PhotoIntake,
  ProvenanceStep,
  photoIdFor,
  sanitizeFilename,
  sniffImageFormat,
  UploadTooLargeError,
} from '../src/index.js';
import { wireJpeg } from './wire-jpeg.js';

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
  let audit: AuditLog;
  let deps: Pick<
    IntakeDeps,
    'store' | 'photos' | 'lifecycle' | 'work' | 'audit' | 'acceptances' | 'provenance'
  >;
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
    audit = new AuditLog(redis, prefix);
    spool = await tempDir();
    deps = {
      store,
      photos,
      lifecycle: new PhotoLifecycle(redis, prefix, photos, new Map([['ap-ftp', 'ap']])),
      work: new LifecycleWork(queues),
      audit,
      acceptances: new AcceptanceLog(store),
      provenance: new ProvenanceStep({ validator: new C2paValidator(), store }),
    };
    intake = new PhotoIntake({ ...deps, spoolDir: spool.path, maxBytes: 1_000_000 });
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
      filename: 'REUTERS 1.jpg',
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
    expect(photo.metadata?.credit).toBeTruthy(); // intake reads the metadata once, for every stage
    expect(await readdir(spool.path)).toEqual([]);
  });

  it('acknowledges exact duplicates with the same id and queues nothing new', async () => {
    const bytes = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    const first = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    const again = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    expect(again).toEqual({
      photoId: first.photoId,
      status: 'received',
      duplicate: true,
      version: 1,
      reason: undefined,
    });
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

  describe('identity: updates, corrections and kills', () => {
    const ap = {
      byline: 'Natacha Pisarenko',
      credit: 'AP',
      source: 'AP',
      objectName: 'Paris Olympics Closing Ceremony',
      dateCreated: '2024-08-11T21:04:12+02:00',
      transmissionReference: 'OLYCC101',
    };
    const caption =
      'Tom Cruise is lowered on the State de France during the closing ceremony. (AP Photo/Natacha Pisarenko)';

    it('a correction of a known picture becomes its next version, under the same photo id', async () => {
      const first = await intake.acceptStream(Readable.from([await wireJpeg({ ...ap, caption }, 11)]), {
        feed: 'ap',
        filename: 'a.jpg',
      });
      const fixed =
        'CORRECTS VENUE NAME Tom Cruise is lowered into the Stade de France during the closing ceremony. (AP Photo/Natacha Pisarenko)';
      const second = await intake.acceptStream(
        Readable.from([await wireJpeg({ ...ap, caption: fixed }, 12)]),
        { feed: 'ap', filename: 'a2.jpg' },
      );
      expect(second).toMatchObject({
        photoId: first.photoId,
        status: 'received',
        duplicate: false,
        version: 2,
        kind: 'correction',
      });
      const photo = await photos.require(first.photoId);
      expect(photo.version).toBe(2);
      expect(
        (await photos.versions(first.photoId)).map((v) => [v.version, v.kind, v.caption?.slice(0, 15)]),
      ).toEqual([
        [1, 'original', 'Tom Cruise is l'],
        [2, 'correction', 'CORRECTS VENUE '],
      ]);
      expect(photo.originalKey).toBe(`originals/${photo.sha256}.jpg`);
      // The same correction bytes again: an exact duplicate of version 2.
      const again = await intake.acceptStream(
        Readable.from([await wireJpeg({ ...ap, caption: fixed }, 12)]),
        { feed: 'ap' },
      );
      expect(again).toMatchObject({ photoId: first.photoId, duplicate: true, version: 2 });
    });

    it('a resend without a marker is an update; a different picture on another day is a new photo', async () => {
      const ref = { ...ap, transmissionReference: 'OLYCC202' };
      const first = await intake.acceptStream(Readable.from([await wireJpeg({ ...ref, caption }, 21)]), {
        feed: 'ap',
      });
      const resend = await intake.acceptStream(
        Readable.from([await wireJpeg({ ...ref, caption: `${caption} ` }, 22)]),
        { feed: 'ap' },
      );
      expect(resend).toMatchObject({ photoId: first.photoId, version: 2, kind: 'update' });
      const otherDay = await intake.acceptStream(
        Readable.from([await wireJpeg({ ...ref, caption, dateCreated: '2024-08-12T21:04:12+02:00' }, 23)]),
        {
          feed: 'ap',
        },
      );
      expect(otherDay.photoId).not.toBe(first.photoId);
    });

    it('a kill notice kills the picture it refers to and queues the clean-up', async () => {
      const ref = { ...ap, transmissionReference: 'OLYCC303' };
      const first = await intake.acceptStream(Readable.from([await wireJpeg({ ...ref, caption }, 31)]), {
        feed: 'ap',
      });
      const kill = await intake.acceptStream(
        Readable.from([
          await wireJpeg(
            {
              ...ref,
              caption: 'MANDATORY KILL. This photo has been withdrawn.',
              specialInstructions: 'KILL',
            },
            32,
          ),
        ]),
        { feed: 'ap' },
      );
      expect(kill).toMatchObject({ photoId: first.photoId, status: 'killed', version: 2, kind: 'kill' });
      expect(await photos.require(first.photoId)).toMatchObject({
        status: 'killed',
        killed: { reason: 'MANDATORY KILL' },
      });
      // A later resend of a killed picture is recorded on it and changes nothing.
      const resend = await intake.acceptStream(Readable.from([await wireJpeg({ ...ref, caption }, 33)]), {
        feed: 'ap',
      });
      expect(resend).toMatchObject({ photoId: first.photoId, status: 'killed', outcome: 'recorded' });
      // The kill sent again is a duplicate of what is recorded: the photo stays killed.
      const again = await intake.acceptStream(
        Readable.from([
          await wireJpeg(
            {
              ...ref,
              caption: 'MANDATORY KILL. This photo has been withdrawn.',
              specialInstructions: 'KILL',
            },
            32,
          ),
        ]),
        { feed: 'ap' },
      );
      expect(again).toMatchObject({ photoId: first.photoId, status: 'killed', duplicate: true });
    });

    it("another feed cannot correct or kill a feed's picture: refused, audited, nothing changes", async () => {
      const ref = { ...ap, transmissionReference: 'OLYCC909' };
      const first = await intake.acceptStream(Readable.from([await wireJpeg({ ...ref, caption }, 91)]), {
        feed: 'ap',
      });
      const kill = await intake.acceptStream(
        Readable.from([
          await wireJpeg({ ...ref, caption: 'MANDATORY KILL', specialInstructions: 'KILL' }, 92),
        ]),
        { feed: 'rival' },
      );
      expect(kill).toMatchObject({ status: 'rejected', duplicate: false });
      expect(kill.reason).toMatch(/^identity_owned_by_other_feed: /);
      expect((await photos.require(first.photoId)).status).toBe('received');
      expect(
        (await audit.recent(5)).some(
          (e) => e.action === 'transmission.refused' && e.photoId === kill.photoId,
        ),
      ).toBe(true);
      // A feed of the same group (ap-ftp is in group ap) may.
      const fromFtp = await intake.acceptStream(
        Readable.from([await wireJpeg({ ...ref, caption: `CORRECTS NAME ${caption}` }, 93)]),
        { feed: 'ap-ftp' },
      );
      expect(fromFtp).toMatchObject({ photoId: first.photoId, kind: 'correction' });
    });

    it('a kill that arrives before its picture kills it on arrival', async () => {
      const ref = { ...ap, transmissionReference: 'OLYCC404' };
      const kill = await intake.acceptStream(
        Readable.from([await wireJpeg({ ...ref, caption: 'ELIMINATE', specialInstructions: 'KILL' }, 41)]),
        {
          feed: 'ap',
        },
      );
      expect(kill).toMatchObject({ status: 'killed', kind: 'kill' });
      const late = await intake.acceptStream(Readable.from([await wireJpeg({ ...ref, caption }, 42)]), {
        feed: 'ap',
      });
      // The picture joins the kill notice's record: same id, killed on arrival, and the record keeps
      // the notice's caption.
      expect(late).toMatchObject({
        photoId: kill.photoId,
        status: 'killed',
        duplicate: false,
        outcome: 'recorded',
      });
      const record = await photos.require(late.photoId);
      expect(record.killed?.reason).toBe('ELIMINATE');
      expect(record.metadata?.caption).toBe('ELIMINATE');
      expect((await queues.counts()).find((c) => c.name === 'takedown')?.waiting).toBeGreaterThanOrEqual(2);
    });

    it('a NewsML-G2 sidecar supplies the identity and metadata', async () => {
      const sidecar = await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml'));
      const first = await intake.acceptStream(Readable.from([await wireJpeg({}, 51)]), {
        feed: 'getty',
        sidecar,
      });
      expect(first.status).toBe('received');
      expect((await photos.require(first.photoId)).sidecar).toMatchObject({
        guid: 'tag:gettyimages.com,2010:GYI0062134533',
        byline: 'Spencer Platt',
      });
      const canceled = sidecar
        .toString()
        .replace('<versionCreated>', '<pubStatus qcode="stat:canceled"/><versionCreated>');
      // The very same image with a cancelling sidecar is a kill, not a duplicate of the picture.
      const kill = await intake.acceptStream(Readable.from([await wireJpeg({}, 51)]), {
        feed: 'getty',
        sidecar: canceled,
      });
      expect(kill).toMatchObject({
        photoId: first.photoId,
        status: 'killed',
        kind: 'kill',
        duplicate: false,
      });
    });
  });

  describe('bad input gets a recorded reason', () => {
    it.each([
      ['../../etc/passwd.jpg', /^invalid_filename: the file name contains a path separator/],
      ['..', /^invalid_filename: the file name is a relative path/],
      ['photo\u0007.jpg', /^invalid_filename: the file name contains control characters/],
    ])('file name %j', async (filename, reason) => {
      const result = await intake.acceptStream(Readable.from([await wireJpeg({}, filename.length + 60)]), {
        feed: 'ap',
        filename,
      });
      expect(result.status).toBe('rejected');
      expect(result.reason).toMatch(reason);
    });

    it('oversized metadata segments', async () => {
      const jpeg = await wireJpeg({}, 70);
      const huge = Buffer.alloc(65_000, 0x20);
      const segment = Buffer.concat([Buffer.from([0xff, 0xe1, 0xfd, 0xea]), huge]);
      const body = Buffer.concat([
        jpeg.subarray(0, 2),
        ...Array.from({ length: 70 }, () => segment),
        jpeg.subarray(2),
      ]);
      const result = await new PhotoIntake({
        ...deps,
        spoolDir: spool.path,
        maxBytes: 50_000_000,
      }).acceptStream(Readable.from([body]), {
        feed: 'ap',
      });
      expect(result.reason).toMatch(/^metadata_too_large: /);
    });

    it('a bad file name refuses the transmission, not the bytes: a correct resend goes through', async () => {
      const bytes = await wireJpeg({}, 90);
      const refused = await intake.acceptStream(Readable.from([bytes]), {
        feed: 'ap',
        filename: '../up.jpg',
      });
      expect(refused).toMatchObject({ status: 'rejected', duplicate: false });
      expect(refused.photoId).toMatch(/^rj_/);
      expect(await photos.require(refused.photoId)).toMatchObject({
        status: 'rejected',
        error: refused.reason,
      });
      const resent = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap', filename: 'up.jpg' });
      expect(resent).toMatchObject({ status: 'received', duplicate: false });
    });

    it('a malformed or non-picture sidecar', async () => {
      const bad = await intake.acceptStream(Readable.from([await wireJpeg({}, 80)]), {
        feed: 'ap',
        sidecar: '<newsItem guid="x"><itemMeta>',
      });
      expect(bad.reason).toMatch(/^sidecar_xml_malformed: /);
      const text = await readFile(fixturePath('real/newsml/LISTING_2_NewsML-G2_Text_Document.xml'));
      const notPicture = await intake.acceptStream(Readable.from([await wireJpeg({}, 81)]), {
        feed: 'ap',
        sidecar: text,
      });
      expect(notPicture.reason).toMatch(/^sidecar_not_picture: /);
    });
  });
});
