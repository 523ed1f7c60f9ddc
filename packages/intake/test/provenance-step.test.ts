import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AuditLog, PhotoCatalog, PhotoLifecycle } from '@lightbox/catalog';
import { parseFeedRules } from '@lightbox/feed-rules';
import { C2paValidator, loadTrustList } from '@lightbox/provenance';
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
import { AcceptanceLog, manifestStoreId, PhotoIntake, transmissionProvenance } from '../src/index.js';
import { ProvenanceStep } from '../src/provenance-step.js';

const c2pa = (name: string) => readFile(fixturePath(`real/c2pa/${name}`));
const synthetic = (name: string) => readFile(fixturePath(`synthetic/${name}`));
const DAY = 24 * 3600_000;

describe('transmissionProvenance (pure)', () => {
  const absent = { state: 'absent' as const, trusted: false, actions: [], ingredients: 0 };
  const at = '2026-03-01T12:00:00.000Z';
  const rules = parseFeedRules(
    `version: 1
defaults:
  expiry: { expireAfterDays: 30 }
feeds:
  afp:
    expiry: { expireAfterDays: 0 }
    graphicContent: { words: [viewer discretion] }
    invalidCredentials: allow
`,
    'feeds.yaml',
  );

  it('the agency’s expiry comes from the embedded IIM record and the sidecar, apart; the feed rule is kept', () => {
    const p = transmissionProvenance(
      {
        feed: 'ap',
        embedded: { keywords: [], expirationDate: '2026-06-30' },
        sidecar: { expirationDate: '2026-05-01T00:00:00Z' },
        metadata: { keywords: [], expirationDate: '2026-05-01T00:00:00Z' },
        at,
      },
      absent,
      undefined,
      rules,
    );
    const licence = {
      iim: '2026-06-30',
      newsml: '2026-05-01T00:00:00Z',
      feedRule: { expireAfterDays: 30, applies: 'unpublished' },
    };
    expect(p).toEqual({
      facts: { licence },
      fields: { provenance: { c2pa: absent, checkedAt: at }, licence },
      entry: {},
    });
  });

  it('a feed with expireAfterDays 0 and no agency expiry has no licence; its own graphic words count', () => {
    const p = transmissionProvenance(
      {
        feed: 'afp',
        embedded: { keywords: [] },
        metadata: { keywords: [], specialInstructions: 'VIEWER DISCRETION ADVISED' },
        at,
      },
      absent,
      undefined,
      rules,
    );
    expect(p.facts).toEqual({});
    expect(p.fields.sensitive).toEqual({
      reason: 'Graphic content flagged in special instructions: "VIEWER DISCRETION"',
    });
  });
});

describe('ProvenanceStep at intake, on real Redis and S3 with the C2PA SDK', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;
  let photos: PhotoCatalog;
  let queues: PipelineQueues;
  let audit: AuditLog;
  let intake: PhotoIntake;

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await store.ensureBucket();
    const prefix = randomPrefix('intake-prov');
    photos = new PhotoCatalog(redis, prefix);
    queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    audit = new AuditLog(redis, prefix);
    const trust = await loadTrustList([fixturePath('real/c2pa/trust/test_cert_root_bundle.pem')]);
    intake = new PhotoIntake({
      store,
      photos,
      lifecycle: new PhotoLifecycle(redis, prefix, photos),
      work: new LifecycleWork(queues),
      audit,
      acceptances: new AcceptanceLog(store),
      provenance: new ProvenanceStep({
        validator: new C2paValidator(trust),
        store,
        feedRules: parseFeedRules(
          `version: 1
feeds:
  lenient: { invalidCredentials: allow }
  desk:
    expiry: { expireAfterDays: 14 }
    graphicContent: { words: [sensitive material] }
`,
          'feeds.yaml',
        ),
      }),
      maxBytes: 5_000_000,
      maxInputPixels: 100_000_000,
    });
  });
  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  const accept = async (bytes: Buffer, feed = 'wire') => {
    const result = await intake.acceptStream(Readable.from([bytes]), { feed });
    return { result, photo: await photos.require(result.photoId) };
  };

  it('CA.jpg: valid and trusted, its manifest store kept by its own hash before the record names it', async () => {
    const { result, photo } = await accept(await c2pa('CA.jpg'));
    expect(result.status).toBe('received');
    expect(photo.provenance?.c2pa).toMatchObject({
      state: 'valid',
      trusted: true,
      signer: { organisation: 'C2PA Test Signing Cert' },
      actions: ['c2pa.opened', 'c2pa.color_adjustments'],
      ingredients: 1,
    });
    const key = photo.provenance?.manifestStoreKey as string;
    const kept = await store.get(key);
    const original = await store.get(photo.originalKey);
    expect(key).toBe(`provenance/${manifestStoreId(photo.sha256)}.c2pa`);
    expect(key).not.toContain(photo.sha256);
    expect(kept.length).toBe(117241);
    // Exactly the store embedded in the bytes received.
    expect(original.includes(kept.subarray(0, 64))).toBe(true);
    expect((await photos.versions(photo.photoId))[0]?.manifestStoreKey).toBe(key);
    expect(photo.hold).toBeUndefined();
    expect(photo.reviewReason).toBeUndefined();
  });

  it('XCA.jpg (edited after signing): held for an editor with the status code', async () => {
    const { result, photo } = await accept(await c2pa('XCA.jpg'));
    expect(result.status).toBe('held');
    expect(photo.provenance?.c2pa.state).toBe('invalid');
    expect(photo.hold).toBe(
      'Content Credentials do not verify (assertion.dataHash.mismatch; signed by "C2PA Test Signing Cert")',
    );
  });

  it('a feed that allows invalid credentials records them and carries on', async () => {
    const { result, photo } = await accept(await c2pa('E-sig-CA.jpg'), 'lenient');
    expect(result.status).toBe('received');
    expect(photo.provenance?.c2pa).toMatchObject({ state: 'invalid' });
    expect(photo.hold).toBeUndefined();
  });

  it('C.jpg (signed algorithmic media): valid, and an editor decides its story', async () => {
    const { result, photo } = await accept(await c2pa('C.jpg'));
    expect(result.status).toBe('received');
    expect(photo.provenance?.c2pa.digitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia',
    );
    expect(photo.reviewReason).toMatch(/^Computer-generated \(algorithmic\)/);
  });

  it('no_manifest.jpg: absent, nothing kept, nothing changes', async () => {
    const { result, photo } = await accept(await c2pa('no_manifest.jpg'));
    expect(result.status).toBe('received');
    expect(photo.provenance).toMatchObject({ c2pa: { state: 'absent' } });
    expect(photo.provenance?.manifestStoreKey).toBeUndefined();
  });

  it('graphic content and the feed’s words mark the photo sensitive; Portsmouth does not', async () => {
    const smout = await accept(await synthetic('graphic/instructions-smout.jpg'));
    expect(smout.photo.sensitive).toEqual({
      reason: 'Graphic content flagged in special instructions: "SMOUT"',
    });
    const word = await accept(await synthetic('graphic/feed-word.jpg'), 'desk');
    expect(word.photo.sensitive?.reason).toContain('SENSITIVE MATERIAL');
    const portsmouth = await accept(await synthetic('graphic/portsmouth.jpg'), 'desk');
    expect(portsmouth.photo.sensitive).toBeUndefined();
  });

  it('an IIM expiry already past: expired on arrival, audited; a feed rule sets the expiry', async () => {
    const { result, photo } = await accept(await synthetic('expiry/iim-date-time.jpg'));
    expect(result.status).toBe('expired');
    expect(photo).toMatchObject({
      licence: { iim: '2024-09-30T18:00:00+02:00' },
      expiresAt: '2024-09-30T16:00:00.000Z',
      expired: { reason: expect.stringMatching(/^agency expiry \(IIM 2:37\/2:38\)/) },
    });
    expect((await audit.of('photo', photo.photoId, 10)).map((a) => a.action)).toEqual(['photo.expired']);
    expect((await queues.counts()).find((c) => c.name === 'render')?.waiting).toBeGreaterThan(0);

    const plain = await accept(await synthetic('expiry/feed-rule.jpg'), 'desk');
    expect(plain.result.status).toBe('received');
    expect(Date.parse(plain.photo.expiresAt as string) - Date.parse(plain.photo.receivedAt)).toBe(14 * DAY);
    expect(await photos.expiredBy(Date.parse(plain.photo.expiresAt as string), 100)).toContain(
      plain.photo.photoId,
    );
  });

  it('a signed picture whose licence ran out before it arrived keeps no manifest store', async () => {
    const result = await intake.acceptStream(Readable.from([await c2pa('CA.jpg')]), {
      feed: 'wire',
      sidecar: await synthetic('expiry/newsml-expires.xml'),
    });
    expect(result.status).toBe('expired');
    const photo = await photos.require(result.photoId);
    expect(photo.provenance?.c2pa.state).toBe('valid');
    const key = (await photos.versions(photo.photoId))[0]?.manifestStoreKey as string;
    expect(key).toMatch(/^provenance\/[0-9a-f]{64}\.c2pa$/);
    expect(await store.head(key)).toBeUndefined();
    // The same signed picture accepted earlier keeps its own store.
    const first = await photos.findBySha((await photos.require(result.photoId)).sha256);
    expect(first?.status).toBe('received');
    expect(await store.head(first?.provenance?.manifestStoreKey as string)).toBeDefined();
  });

  it('a NewsML-G2 sidecar’s expiry counts; the embedded IIM expiry is kept apart', async () => {
    const sidecar = await synthetic('expiry/newsml-validto.xml');
    const result = await intake.acceptStream(Readable.from([await synthetic('rights/all.jpg')]), {
      feed: 'wire',
      sidecar,
    });
    const photo = await photos.require(result.photoId);
    expect(photo.licence).toEqual({ iim: '2024-09-30T18:00:00+02:00', newsml: '2024-09-10T12:00:00+02:00' });
    expect(photo).toMatchObject({ status: 'expired', expiresAt: '2024-09-10T10:00:00.000Z' });
  });
});
