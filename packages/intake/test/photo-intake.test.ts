import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcceptanceLog,
  type IntakeDeps,
  PhotoIntake,
  ProvenanceStep,
  photoIdFor,
  sanitizeFilename,
  sniffImageFormat,
  UploadIncompleteError,
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
  let prefix: string;
  /** Originals in storage. */
  const originals = () => store.list('originals/');
  /** Photo records in Redis. */
  const records = async () => (await redis.keys(`${prefix}:state:photo:*`)).length;

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await store.ensureBucket();
    prefix = randomPrefix('intake');
    photos = new PhotoCatalog(redis, prefix);
    queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    audit = new AuditLog(redis, prefix);
    deps = {
      store,
      photos,
      lifecycle: new PhotoLifecycle(redis, prefix, photos, new Map([['ap-ftp', 'ap']])),
      work: new LifecycleWork(queues),
      audit,
      acceptances: new AcceptanceLog(store),
      provenance: new ProvenanceStep({ validator: new C2paValidator(), store }),
    };
    intake = new PhotoIntake({ ...deps, maxBytes: 1_000_000, maxInputPixels: 100_000_000 });
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  it('streams the original to storage, records the photo with its metadata and image header, and queues render', async () => {
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
    // Keyed by arrival day and a random id: the upload starts before the hash is known.
    expect(photo.originalKey).toMatch(/^originals\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{20}\.jpg$/);
    expect(photo.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.photoId).toBe(photoIdFor(photo.sha256));
    expect((await store.get(photo.originalKey)).equals(bytes)).toBe(true);
    // No ingest stage: the photo goes straight to render.
    expect((await queues.counts()).find((c) => c.name === 'render')?.waiting).toBe(1);
    expect((await queues.counts()).find((c) => c.name === 'ingest')?.waiting).toBe(0);
    // Intake reads the metadata and the image header once, for every stage.
    expect(photo.metadata?.credit).toBeTruthy();
    expect(photo.metadata).toMatchObject({ width: 100, height: 63 });
    expect(photo.probe).toEqual({ format: 'jpeg', icc: 'srgb' });
  });

  it('acknowledges exact duplicates with the same id and queues nothing new', async () => {
    const bytes = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    const first = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    const stored = await originals();
    const again = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
    expect(again).toEqual({
      photoId: first.photoId,
      status: 'received',
      duplicate: true,
      version: 1,
      reason: undefined,
    });
    const render = (await queues.counts()).find((c) => c.name === 'render');
    expect(render?.waiting).toBe(2); // one per distinct photo across this suite
    // The duplicate's upload is deleted: one stored original per photo.
    expect(await originals()).toEqual(stored);
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

  it('stores nothing of bytes that are not an image', async () => {
    const before = await originals();
    await intake.acceptStream(Readable.from([Buffer.from('%PDF-1.7 not a picture')]), { feed: 'ap' });
    expect(await originals()).toEqual(before);
  });

  it('rejects empty uploads', async () => {
    const result = await intake.acceptStream(Readable.from([]), { feed: 'ap' });
    expect(result.reason).toMatch(/^empty_file/);
  });

  it('stops reading at the size limit: nothing stored, nothing recorded', async () => {
    const big = Buffer.alloc(1_500_000, 0xff);
    big[0] = 0xff;
    big[1] = 0xd8;
    const [before, recorded] = [await originals(), await records()];
    await expect(
      intake.acceptStream(Readable.from([big.subarray(0, 700_000), big.subarray(700_000)]), { feed: 'ap' }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    // A declared length over the limit is refused before a byte is read.
    await expect(
      intake.acceptStream(Readable.from([big]), { feed: 'ap' }, { contentLength: big.length }),
    ).rejects.toBeInstanceOf(UploadTooLargeError);
    expect(await originals()).toEqual(before);
    expect(await records()).toBe(recorded);
  });

  describe('an upload that breaks off half way leaves nothing accepted: no record, no stored original', () => {
    /** A wire photo's first bytes, then the connection drops. */
    const brokenOff = (bytes: Buffer) =>
      new Readable({
        read() {
          if (this.readableLength > 0 || (this as unknown as { sent?: boolean }).sent) return;
          (this as unknown as { sent?: boolean }).sent = true;
          this.push(bytes.subarray(0, Math.floor(bytes.length / 2)));
          setTimeout(() => this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })), 50);
        },
      });

    it('with a declared length (one streamed PUT)', async () => {
      const bytes = await wireJpeg({ caption: 'broken off, declared' }, 301);
      const [before, recorded] = [await originals(), await records()];
      await expect(
        intake.acceptStream(brokenOff(bytes), { feed: 'ap' }, { contentLength: bytes.length }),
      ).rejects.toThrow(/aborted/);
      expect(await originals()).toEqual(before);
      expect(await records()).toBe(recorded);
      expect(await photos.findBySha(createHash('sha256').update(bytes).digest('hex'))).toBeUndefined();
      // The whole photo sent again goes through.
      const resent = await intake.acceptStream(Readable.from([bytes]), { feed: 'ap' });
      expect(resent).toMatchObject({ status: 'received', duplicate: false });
    });

    it('without one (multipart upload)', async () => {
      const big = new PhotoIntake({ ...deps, maxBytes: 50_000_000, maxInputPixels: 100_000_000 });
      // Over two 8 MB parts: the first part is uploaded before the connection drops.
      const bytes = Buffer.concat([
        await wireJpeg({ caption: 'broken off, multipart' }, 303),
        Buffer.alloc(20e6),
      ]);
      const [before, recorded] = [await originals(), await records()];
      await expect(big.acceptStream(brokenOff(bytes), { feed: 'ap' })).rejects.toThrow(/aborted/);
      expect(await originals()).toEqual(before);
      expect(await records()).toBe(recorded);
    });

    it('a body shorter than it said it was', async () => {
      const bytes = await wireJpeg({ caption: 'short body' }, 302);
      const [before, recorded] = [await originals(), await records()];
      async function* slowly() {
        yield bytes.subarray(0, 1000);
        await new Promise((r) => setTimeout(r, 50));
        yield bytes.subarray(1000);
      }
      await expect(
        intake.acceptStream(Readable.from(slowly()), { feed: 'ap' }, { contentLength: bytes.length + 10 }),
      ).rejects.toBeInstanceOf(UploadIncompleteError);
      expect(await originals()).toEqual(before);
      expect(await records()).toBe(recorded);
    });
  });

  it('reads the image header once, at intake: an image over the pixel limit is rejected with the reason, never rendered', async () => {
    const strict = new PhotoIntake({ ...deps, maxBytes: 1_000_000, maxInputPixels: 1000 });
    const renderBefore = (await queues.counts()).find((c) => c.name === 'render')?.waiting;
    const result = await strict.acceptStream(Readable.from([await wireJpeg({ caption: 'big' }, 401)]), {
      feed: 'ap',
    });
    expect(result).toMatchObject({ status: 'rejected', duplicate: false });
    expect(result.reason).toMatch(/^too_many_pixels: /);
    expect(await photos.require(result.photoId)).toMatchObject({ status: 'rejected', error: result.reason });
    expect((await queues.counts()).find((c) => c.name === 'render')?.waiting).toBe(renderBefore);
  });

  it('a header the decoder cannot read is rejected at intake', async () => {
    const broken = withEmptyFrame(await wireJpeg({ caption: 'broken header' }, 402));
    const result = await intake.acceptStream(Readable.from([broken]), { feed: 'ap' });
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(/^(corrupt_image|truncated_image|unsupported_format): /);
  });

  it('an unusable version of a photo that has a usable one is rejected alone: the photo keeps its picture', async () => {
    // Found by a hostile test: a truncated resend of a published AP photo rejected the whole photo
    // (renditions deleted, gallery emptied) and nothing but new bytes could bring it back.
    const ap = {
      byline: 'Natacha Pisarenko',
      credit: 'AP',
      source: 'AP',
      objectName: 'Paris Olympics Closing Ceremony',
      dateCreated: '2024-08-11T21:04:12+02:00',
      transmissionReference: 'KEEPME1',
      caption: 'Good picture',
    };
    const good = await intake.acceptStream(Readable.from([await wireJpeg(ap, 403)]), { feed: 'ap' });
    const before = await photos.require(good.photoId);
    const broken = withEmptyFrame(await wireJpeg({ ...ap, caption: 'Cut short' }, 404));
    const bad = await intake.acceptStream(Readable.from([broken]), { feed: 'ap' });
    expect(bad).toMatchObject({ photoId: good.photoId, status: 'received', version: 2, outcome: 'rejected' });
    expect(bad.reason).toMatch(/^(corrupt_image|truncated_image|unsupported_format): /);
    const after = await photos.require(good.photoId);
    expect(after).toMatchObject({
      status: 'received',
      version: before.version,
      sha256: before.sha256,
      originalKey: before.originalKey,
    });
    expect(after.metadata?.caption).toBe('Good picture');
    expect((await photos.versions(good.photoId)).map((v) => [v.version, v.outcome, v.rejection])).toEqual([
      [1, 'current', undefined],
      [2, 'rejected', bad.reason],
    ]);
    // The same bad bytes again: a duplicate, still refused with the reason.
    const again = await intake.acceptStream(Readable.from([broken]), { feed: 'ap' });
    expect(again).toMatchObject({
      photoId: good.photoId,
      duplicate: true,
      outcome: 'rejected',
      reason: bad.reason,
    });
  });

  it('formats other than JPEG: metadata and header from the whole bytes, kept in memory while they stream', async () => {
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const result = await intake.acceptStream(Readable.from([png.subarray(0, 10), png.subarray(10)]), {
      feed: 'ap',
    });
    expect(result.status).toBe('received');
    const photo = await photos.require(result.photoId);
    expect(photo.probe).toEqual({ format: 'png' });
    expect(photo.metadata).toMatchObject({ width: 30, height: 20 });
    expect(photo.originalKey).toMatch(/\.png$/);
    expect((await store.get(photo.originalKey)).equals(png)).toBe(true);
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
      expect(photo.originalKey).toBe((await photos.versions(first.photoId))[1]?.originalKey);
      // Stored: the current version's entry refers to the record's caption; the one it replaced
      // got its own caption written in.
      const stored = (await redis.lrange(`${prefix}:state:photo-versions:${first.photoId}`, 0, -1)).map(
        (e) => JSON.parse(e) as Record<string, unknown>,
      );
      expect(stored.map((e) => [e.c?.toString().slice(0, 15), e.m])).toEqual([
        ['Tom Cruise is l', undefined],
        [undefined, 1],
      ]);
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
        maxBytes: 50_000_000,
        maxInputPixels: 100_000_000,
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

/** A copy of a JPEG whose frame header (SOFn) says the picture is 0 pixels high and wide. */
function withEmptyFrame(jpeg: Buffer): Buffer {
  const broken = Buffer.from(jpeg);
  const sof = [0xc0, 0xc1, 0xc2]
    .map((m) => broken.indexOf(Buffer.from([0xff, m])))
    .filter((i) => i > 0)
    .sort((a, b) => a - b)[0] as number;
  broken.fill(0x00, sof + 5, sof + 9);
  return broken;
}
