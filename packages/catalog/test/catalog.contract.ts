import type { Photo, StoryInput } from '@lightbox/contracts';
import { randomPrefix } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditLog,
  migrateState,
  PhotoCatalog,
  PhotoLifecycle,
  STATE_SCHEMA_VERSION,
  StoryCatalog,
  StorySlugTakenError,
  stateKeys,
  type TransmissionInput,
} from '../src/index.js';

export function photo(overrides: Partial<Photo> = {}): Photo {
  const sha = overrides.sha256 ?? Math.random().toString(16).slice(2).padEnd(64, '0');
  return {
    photoId: `ph_${sha.slice(0, 24)}`,
    status: 'received',
    feed: 'wire',
    sha256: sha,
    originalKey: `originals/${sha}.jpg`,
    contentType: 'image/jpeg',
    bytes: 100,
    receivedAt: '2024-08-11T20:00:00.000Z',
    updatedAt: '2024-08-11T20:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The first-version history entry for a photo. */
export const first = (p: Photo) => ({
  kind: 'original' as const,
  sha256: p.sha256,
  originalKey: p.originalKey,
  receivedAt: p.receivedAt,
  feed: p.feed,
});

export const storyInput = (
  slug: string,
  start = '2024-08-11T21:00:00+02:00',
  end = '2024-08-12T00:30:00+02:00',
): StoryInput => ({
  slug,
  headline: `Headline ${slug}`,
  event: { name: `Event ${slug}`, start, end },
});

/** What every Redis back end must do for Lightbox state. */
export function catalogContract(
  name: string,
  start: () => Promise<{ url: string; stop: () => Promise<void> }>,
) {
  describe(`catalog contract: ${name}`, () => {
    let redis: Redis;
    let stop: () => Promise<void>;
    let photos: PhotoCatalog;
    let stories: StoryCatalog;
    let lifecycle: PhotoLifecycle;
    let prefix: string;

    beforeAll(async () => {
      const server = await start();
      stop = server.stop;
      redis = new Redis(server.url);
      prefix = randomPrefix('catalog');
      photos = new PhotoCatalog(redis, prefix);
      stories = new StoryCatalog(redis, prefix);
      lifecycle = new PhotoLifecycle(redis, prefix, photos);
    });
    afterAll(async () => {
      redis?.disconnect();
      await stop?.();
    });

    it('registers a photo once per sha256, atomically under concurrency', async () => {
      const p = photo();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => photos.register({ ...p }, first(p))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.photo.photoId))).toEqual(new Set([p.photoId]));
      expect(await photos.findBySha(p.sha256)).toMatchObject({ photoId: p.photoId, status: 'received' });
    });

    it('round-trips nested fields and removes fields set to null', async () => {
      const p = photo();
      await photos.register(p, first(p));
      await photos.update(p.photoId, {
        metadata: { caption: 'Caption – with “quotes” and ümlauts', keywords: ['a', 'b'] },
        error: 'temporary',
      });
      await photos.update(p.photoId, { error: null });
      const back = await photos.require(p.photoId);
      expect(back.metadata).toEqual({ caption: 'Caption – with “quotes” and ümlauts', keywords: ['a', 'b'] });
      expect(back.status).toBe('received');
      expect(back.error).toBeUndefined();
      expect(back.rev).toBe(3);
      expect(Date.parse(back.updatedAt)).toBeGreaterThan(Date.parse(p.updatedAt));
    });

    it('changes status only through the lifecycle, and only as its rules allow', async () => {
      const p = photo({ status: 'review' });
      await photos.register(p, first(p));
      expect(await lifecycle.apply(p.photoId, { type: 'published' })).toMatchObject({ ok: false });
      const m = photo({ status: 'matched' });
      await photos.register(m, first(m));
      expect(await lifecycle.apply(m.photoId, { type: 'published' })).toMatchObject({ ok: true });
      expect((await photos.require(m.photoId)).status).toBe('published');
      expect(await lifecycle.apply('ph_nope', { type: 'published' })).toMatchObject({ code: 'not_found' });
    });

    it('writes a stage result only for the version it was made from, never on a killed photo', async () => {
      const p = photo();
      await photos.register(p, first(p));
      expect(await photos.update(p.photoId, { phash: 'aa' }, { version: 2 })).toBe(false);
      expect(await photos.update(p.photoId, { phash: 'bb' }, { version: 1, notIn: ['killed'] })).toBe(true);
      await lifecycle.apply(p.photoId, { type: 'kill', reason: 'KILL', at: 'now' });
      expect(await photos.update(p.photoId, { phash: 'cc' }, { version: 1, notIn: ['killed'] })).toBe(false);
      expect((await photos.require(p.photoId)).phash).toBe('bb');
    });

    it('returns undefined for unknown photos and skips them in getMany', async () => {
      const p = photo();
      await photos.register(p, first(p));
      expect(await photos.get('ph_nope')).toBeUndefined();
      await expect(photos.require('ph_nope')).rejects.toThrow(/Unknown photo/);
      expect((await photos.getMany(['ph_nope', p.photoId])).map((x) => x.photoId)).toEqual([p.photoId]);
    });

    it('lists recent photos newest first', async () => {
      const older = photo({ receivedAt: '2030-01-01T00:00:00.000Z' });
      const newer = photo({ receivedAt: '2030-01-02T00:00:00.000Z' });
      await photos.register(older, first(older));
      await photos.register(newer, first(newer));
      expect(await photos.recentIds(2)).toEqual([newer.photoId, older.photoId]);
    });

    const transmission = (
      over: Partial<TransmissionInput['facts']> & { sha?: string } = {},
    ): TransmissionInput => {
      const sha = over.sha ?? Math.random().toString(16).slice(2).padEnd(64, '0');
      const { sha: _sha, ...facts } = over;
      return {
        facts: {
          feed: 'ap',
          group: 'ap',
          marker: 'none',
          identityKeys: ['guid:shared'],
          embargo: { state: 'none' },
          at: new Date().toISOString(),
          ...facts,
        },
        fingerprint: sha,
        newPhotoId: `ph_${sha.slice(0, 24)}`,
        fields: { sha256: sha, originalKey: `originals/${sha}.jpg`, contentType: 'image/jpeg', bytes: 10 },
        entry: {
          sha256: sha,
          originalKey: `originals/${sha}.jpg`,
          receivedAt: new Date().toISOString(),
          feed: facts.feed ?? 'ap',
        },
      };
    };

    it('decides ten simultaneous versions of one picture as one photo with ten numbered transmissions', async () => {
      const guid = `guid:${Math.random()}`;
      const records = await Promise.all(
        Array.from({ length: 10 }, () =>
          lifecycle.recordTransmission(transmission({ identityKeys: [guid] })),
        ),
      );
      const ids = new Set(records.map((r) => r.photo.photoId));
      expect(ids.size).toBe(1);
      const [id] = ids as Set<string>;
      expect(records.filter((r) => r.decision.outcome === 'new')).toHaveLength(1);
      const history = await photos.versions(id as string);
      expect(history.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await photos.require(id as string)).version).toBe(10);
    });

    it('forty simultaneous versions all get recorded under one photo: none gives up', async () => {
      const guid = `guid:${Math.random()}`;
      const records = await Promise.all(
        Array.from({ length: 40 }, () =>
          lifecycle.recordTransmission(transmission({ identityKeys: [guid] })),
        ),
      );
      expect(new Set(records.map((r) => r.photo.photoId)).size).toBe(1);
      expect(await photos.versions((records[0] as { photo: Photo }).photo.photoId)).toHaveLength(40);
    });

    it('a kill and its picture sent at the same moment end as one killed photo, in either order', async () => {
      for (let trial = 0; trial < 5; trial++) {
        const guid = `guid:${Math.random()}`;
        const [a, b] = await Promise.all([
          lifecycle.recordTransmission(transmission({ identityKeys: [guid] })),
          lifecycle.recordTransmission(
            transmission({ identityKeys: [guid], marker: 'kill', reason: 'KILL' }),
          ),
        ]);
        expect(a.photo.photoId).toBe(b.photo.photoId);
        expect((await photos.require(a.photo.photoId)).status).toBe('killed');
      }
    });

    it('refuses another feed group’s version, recorded apart; feeds of one group share', async () => {
      const guid = `guid:${Math.random()}`;
      const own = await lifecycle.recordTransmission(transmission({ identityKeys: [guid] }));
      const other = await lifecycle.recordTransmission(
        transmission({ identityKeys: [guid], feed: 'rtr', group: 'rtr', marker: 'kill' }),
      );
      expect(other.decision).toMatchObject({ outcome: 'refused', code: 'identity_owned_by_other_feed' });
      expect(other.photo).toMatchObject({ status: 'rejected', feed: 'rtr' });
      expect((await photos.require(own.photo.photoId)).status).toBe('received');
      const grouped = new PhotoLifecycle(redis, prefix, photos, new Map([['ap-ftp', 'ap']]));
      const same = await grouped.recordTransmission(transmission({ identityKeys: [guid], feed: 'ap-ftp' }));
      expect(same.decision).toMatchObject({ outcome: 'version', photoId: own.photo.photoId });
    });

    it('keeps a kill notice for its group until the picture comes, which is then killed on arrival', async () => {
      const guid = `guid:${Math.random()}`;
      const notice = await lifecycle.recordTransmission(
        transmission({ identityKeys: [guid], marker: 'kill', reason: 'MANDATORY KILL' }),
      );
      expect(notice.photo).toMatchObject({ status: 'killed', hasPicture: false });
      // Another group's picture under the same guid is its own photo: the notice is not theirs.
      const other = await lifecycle.recordTransmission(
        transmission({ identityKeys: [guid], feed: 'rtr', group: 'rtr' }),
      );
      expect(other.decision.outcome).toBe('new');
      const own = await lifecycle.recordTransmission(
        transmission({ identityKeys: [`${guid}-own`], marker: 'kill', reason: 'KILL' }),
      );
      const picture = await lifecycle.recordTransmission(transmission({ identityKeys: [`${guid}-own`] }));
      expect(picture.photo.photoId).toBe(own.photo.photoId);
      expect(picture.photo).toMatchObject({ status: 'killed', hasPicture: true });
      expect(picture.effects).toEqual([{ kind: 'takedown', why: 'kill' }]);
      expect((await photos.versions(own.photo.photoId)).map((v) => [v.kind, v.outcome])).toEqual([
        ['kill', 'killed'],
        ['update', 'recorded'],
      ]);
    });

    it('the same transmission twice is a duplicate', async () => {
      const t = transmission({ identityKeys: [`guid:${Math.random()}`] });
      const [a, b] = await Promise.all([lifecycle.recordTransmission(t), lifecycle.recordTransmission(t)]);
      expect([a.decision.outcome, b.decision.outcome].sort()).toEqual(['duplicate', 'new']);
    });

    it('migrates state written by the first release: processing becomes received', async () => {
      const p2 = randomPrefix('migrate');
      const k = stateKeys(p2);
      await redis.hset(k.photo('ph_old'), 'photoId', '"ph_old"', 'status', '"processing"', 'version', '1');
      await redis.zadd(k.photosByTime, 5, 'ph_old');
      await redis.zadd(`${k.prefix}:photo-status:processing`, 5, 'ph_old');
      expect(await migrateState(redis, p2)).toEqual({ from: 1, to: STATE_SCHEMA_VERSION });
      const old = new PhotoCatalog(redis, p2);
      expect((await old.require('ph_old')).status).toBe('received');
      expect((await old.listByStatus('received')).ids).toEqual(['ph_old']);
      expect(await redis.exists(`${k.prefix}:photo-status:processing`)).toBe(0);
      expect(await migrateState(redis, p2)).toEqual({ from: STATE_SCHEMA_VERSION, to: STATE_SCHEMA_VERSION });
      // A record without a revision is still changed by compare-and-set.
      const lc = new PhotoLifecycle(redis, p2, old);
      expect(await lc.apply('ph_old', { type: 'kill', reason: 'x', at: 'now' })).toMatchObject({ ok: true });
    });

    it('reads state written by schema 3 (the previous release) and rebuilds its search index by photo number', async () => {
      const p3 = randomPrefix('schema3');
      const k = stateKeys(p3);
      const id = 'ph_0567ca3f633d222aab1675f7';
      const sha = '0567ca3f633d222aab1675f771f99d7eb097ba3033aa2fbf6212e81b59e1cae5';
      const reasons = ['time: within the event', 'place: city Saint-Denis matches'];
      // A record, history and search sets exactly as the previous release wrote them.
      const written: Record<string, unknown> = {
        photoId: id,
        feed: 'bench',
        receivedAt: '2026-11-28T05:37:20.301Z',
        updatedAt: '2026-11-28T05:37:22.001Z',
        version: 1,
        sha256: sha,
        originalKey: `originals/${sha}.jpg`,
        contentType: 'image/jpeg',
        bytes: 6000993,
        metadata: {
          caption: 'Frame 0: the Women’s 100m final at the Stade de France. (AP Photo/Jane Doe)',
          credit: 'AP',
          creditLine: 'AP Photo/Jane Doe',
          parsedCredit: { raw: 'AP Photo/Jane Doe', agency: 'AP', photographer: 'Jane Doe' },
          agency: 'AP',
          keywords: ['athletics'],
          dateCreated: '2024-08-08T10:00:00+02:00',
          width: 6000,
          height: 4000,
        },
        restrictions: [],
        status: 'published',
        currentKind: 'original',
        hasPicture: true,
        renditions: [
          {
            name: 'large',
            key: `renditions/${id}/large.jpg`,
            width: 2048,
            height: 1365,
            format: 'jpeg',
            bytes: 169831,
          },
          {
            name: 'medium-webp',
            key: `renditions/${id}/medium-webp.webp`,
            width: 1024,
            height: 683,
            format: 'webp',
            bytes: 26366,
          },
        ],
        placeholder: { dominantColor: '#f8f858', thumbhash: 'bQsCLYRP86yyJ5pXKIeGeXeA1vSY' },
        phash: '8a985aced2cc6d56',
        match: {
          decision: 'matched',
          storyId: 'st_54cce18855dc92dc',
          score: 0.946,
          reasons,
          candidates: [
            { storyId: 'st_54cce18855dc92dc', score: 0.946, reasons },
            { storyId: 'st_e44d47428e241a45', score: 0.265, reasons: ['place contradicts'] },
          ],
          matchedAt: '2026-11-28T05:37:21.806Z',
        },
        storyId: 'st_54cce18855dc92dc',
      };
      await redis.hset(
        k.photo(id),
        ...Object.entries(written).flatMap(([f, v]) => [f, JSON.stringify(v)]),
        'rev',
        '5',
      );
      const entry = {
        version: 1,
        sha256: sha,
        originalKey: `originals/${sha}.jpg`,
        receivedAt: '2026-11-28T05:37:20.301Z',
        feed: 'bench',
        route: 'http',
        caption: 'Frame 0: the Women’s 100m final at the Stade de France. (AP Photo/Jane Doe)',
        kind: 'original',
        outcome: 'current',
      };
      await redis.rpush(k.photoVersions(id), JSON.stringify(entry));
      await redis.zadd(k.photosByTime, Date.parse('2026-11-28T05:37:20.301Z'), id);
      await redis.zadd(k.photosByStatus('published'), Date.parse('2026-11-28T05:37:20.301Z'), id);
      for (const word of ['frame', 'women', 'stade', 'france', 'athletics'])
        await redis.sadd(`${k.prefix}:search-word:${word}`, id);
      await redis.sadd(`${k.prefix}:search-agency:ap`, id);
      await redis.set(k.schemaVersion, '3');

      expect(await migrateState(redis, p3)).toEqual({ from: 3, to: STATE_SCHEMA_VERSION });
      const catalog = new PhotoCatalog(redis, p3);
      // Read as it was written.
      expect(await catalog.require(id)).toEqual({ ...written, rev: 5, seq: 1 });
      expect(await catalog.versions(id)).toEqual([entry]);
      // Found by the new index; the sets by id are gone.
      expect((await catalog.search({ text: 'stade athletics', agency: 'AP' })).ids).toEqual([id]);
      expect(await redis.keys(`${k.prefix}:search-word:*`)).toEqual([]);
      expect(await redis.keys(`${k.prefix}:search-agency:*`)).toEqual([]);
      expect(await redis.object('ENCODING', k.searchWord('stade'))).toBe('intset');
      // Written again, the fields take the compact form and read back the same.
      const before = await redis.memory('USAGE', k.photo(id));
      const photo = await catalog.require(id);
      await catalog.update(id, {
        renditions: photo.renditions,
        match: photo.match,
        metadata: photo.metadata,
      });
      expect(JSON.parse((await redis.hget(k.photo(id), 'renditions')) as string)).toEqual([
        ['large', 2048, 1365, 'jpeg', 169831],
        ['medium-webp', 1024, 683, 'webp', 26366],
      ]);
      expect(JSON.parse((await redis.hget(k.photo(id), 'match')) as string).candidates[0]).toEqual({
        storyId: 'st_54cce18855dc92dc',
        score: 0.946,
      });
      expect(await redis.memory('USAGE', k.photo(id))).toBeLessThan(Number(before) - 200);
      const { updatedAt: _a, rev: _b, ...same } = await catalog.require(id);
      const { updatedAt: _c, ...was } = written;
      expect(same).toEqual({ ...was, seq: 1 });
      // No Content Credentials: stored in one word, read back whole.
      const provenance = {
        c2pa: { state: 'absent' as const, trusted: false, actions: [], ingredients: 0 },
        checkedAt: '2026-11-28T05:37:20.301Z',
      };
      await catalog.update(id, { provenance });
      expect(JSON.parse((await redis.hget(k.photo(id), 'provenance')) as string).c2pa).toBe('absent');
      expect((await catalog.require(id)).provenance).toEqual(provenance);
    });

    it('keeps licence expiry and the by-expiry index in the commit that changes them', async () => {
      const DAY = 24 * 3600_000;
      const feedRule = { expireAfterDays: 2, applies: 'unpublished' as const };
      const agency = new Date(Math.floor(Date.now() / 1000) * 1000 + 5 * DAY).toISOString();
      const t = transmission({ identityKeys: [`guid:${Math.random()}`], licence: { iim: agency, feedRule } });
      t.fields.licence = t.facts.licence;
      const arrived = await lifecycle.recordTransmission(t);
      const id = arrived.photo.photoId;
      const ruleEnds = new Date(Date.parse(t.facts.at) + 2 * DAY).toISOString();
      expect(arrived.photo).toMatchObject({
        status: 'received',
        expiresAt: ruleEnds,
        licence: t.facts.licence,
      });
      expect(await photos.expiredBy(Date.now(), 1000)).not.toContain(id);
      expect(await photos.expiredBy(Date.parse(ruleEnds), 1000)).toContain(id);
      // Not before its time.
      expect(
        await lifecycle.apply(id, { type: 'expire', reason: 'x', at: new Date().toISOString() }),
      ).toMatchObject({ ok: false, code: 'not_allowed' });
      // Published: the feed's `unpublished` rule stops; the agency's expiry remains.
      await lifecycle.apply(id, { type: 'auto-match', decision: 'matched', storyId: 'st_x' });
      const published = await lifecycle.apply(id, { type: 'published' });
      expect(published.ok && published.photo).toMatchObject({ status: 'published', expiresAt: agency });
      expect(await photos.expiredBy(Date.parse(ruleEnds), 1000)).not.toContain(id);
      expect(await photos.expiredBy(Date.parse(agency), 1000)).toContain(id);
      // Runs out: expired, out of the index.
      const expired = await lifecycle.apply(id, { type: 'expire', reason: 'licence', at: agency });
      expect(expired).toMatchObject({ ok: true, photo: { status: 'expired', expired: { at: agency } } });
      expect(expired.ok && expired.effects).toEqual([{ kind: 'takedown', why: 'expire' }]);
      expect(await photos.expiredBy(Number.MAX_SAFE_INTEGER, 10_000)).not.toContain(id);
    });

    it('a picture whose licence ran out before it arrived is recorded expired, outside the index', async () => {
      const t = transmission({ identityKeys: [`guid:${Math.random()}`], licence: { iim: '2024-09-30' } });
      const r = await lifecycle.recordTransmission(t);
      expect(r.photo).toMatchObject({ status: 'expired', expiresAt: '2024-09-30T10:00:00.000Z' });
      expect(r.photo.expired?.reason).toMatch(/^agency expiry \(IIM 2:37\/2:38\) 2024-09-30/);
      expect(r.effects).toEqual([]);
      expect(await photos.expiredBy(Date.now(), 10_000)).not.toContain(r.photo.photoId);
      expect((await photos.listByStatus('expired')).ids).toContain(r.photo.photoId);
    });

    it('a current version replaces the provenance fields and licence; a superseded one leaves them', async () => {
      const guid = `guid:${Math.random()}`;
      const ai = transmission({ identityKeys: [guid], licence: { iim: '2099-01-01' } });
      Object.assign(ai.fields, {
        reviewReason: 'AI-generated',
        sensitive: { reason: 'graphic' },
        licence: ai.facts.licence,
      });
      const first = await lifecycle.recordTransmission(ai);
      expect(first.photo).toMatchObject({ reviewReason: 'AI-generated', sensitive: { reason: 'graphic' } });
      const plain = transmission({ identityKeys: [guid], marker: 'correction' });
      const second = await lifecycle.recordTransmission(plain);
      expect(second.decision).toMatchObject({ outcome: 'version', versionOutcome: 'current' });
      expect(second.photo.reviewReason).toBeUndefined();
      expect(second.photo.sensitive).toBeUndefined();
      expect(second.photo.licence).toBeUndefined();
      expect(second.photo.expiresAt).toBeUndefined();
      expect(await photos.expiredBy(Number.MAX_SAFE_INTEGER, 10_000)).not.toContain(second.photo.photoId);
      const late = transmission({ identityKeys: [guid], licence: { iim: '2099-01-01' } });
      Object.assign(late.fields, { reviewReason: 'AI-generated', licence: late.facts.licence });
      const third = await lifecycle.recordTransmission(late);
      expect(third.decision).toMatchObject({ versionOutcome: 'superseded' });
      expect(third.photo.reviewReason).toBeUndefined();
    });

    it('migrates records of the previous release: the sender’s expiry becomes a licence in the index', async () => {
      const p3 = randomPrefix('migrate3');
      const k = stateKeys(p3);
      const old = new PhotoCatalog(redis, p3);
      const base = (id: string, more: Partial<Photo>) =>
        old.register(photo({ photoId: id, receivedAt: new Date().toISOString(), ...more }), first(photo()));
      await base('ph_iim', { metadata: { keywords: [], expirationDate: '2099-05-01T12:00:00Z' } });
      await base('ph_newsml', {
        metadata: { keywords: [], expirationDate: '2024-09-15T00:00:00Z' },
        sidecar: { expirationDate: '2024-09-15T00:00:00Z' },
      });
      await base('ph_plain', { metadata: { keywords: [] } });
      await base('ph_killed', { status: 'killed', metadata: { keywords: [], expirationDate: '2024-01-01' } });
      await redis.set(k.schemaVersion, '2');
      expect(await migrateState(redis, p3)).toEqual({ from: 2, to: STATE_SCHEMA_VERSION });
      expect(await old.require('ph_iim')).toMatchObject({
        licence: { iim: '2099-05-01T12:00:00Z' },
        expiresAt: '2099-05-01T12:00:00.000Z',
      });
      expect(await old.require('ph_newsml')).toMatchObject({
        licence: { newsml: '2024-09-15T00:00:00Z' },
        expiresAt: '2024-09-15T00:00:00.000Z',
      });
      expect((await old.require('ph_plain')).licence).toBeUndefined();
      expect((await old.require('ph_killed')).licence).toBeUndefined();
      // The sweep's index: the one already past first; the killed photo never.
      expect(await old.expiredBy(Date.now(), 10)).toEqual(['ph_newsml']);
      expect(await old.expiredBy(Number.MAX_SAFE_INTEGER, 10)).toEqual(['ph_newsml', 'ph_iim']);
      // And the lifecycle can expire it.
      const lc = new PhotoLifecycle(redis, p3, old);
      expect(
        await lc.apply('ph_newsml', { type: 'expire', reason: 'licence', at: new Date().toISOString() }),
      ).toMatchObject({ ok: true, photo: { status: 'expired' } });
    });

    it('creates stories with unique slugs', async () => {
      const s = await stories.create(storyInput('unique-slug'));
      expect(s).toMatchObject({ slug: 'unique-slug', status: 'open' });
      expect(s.id).toMatch(/^st_[0-9a-f]{16}$/);
      await expect(stories.create(storyInput('unique-slug'))).rejects.toBeInstanceOf(StorySlugTakenError);
      expect(await stories.get(s.id)).toEqual(s);
    });

    it('finds stories overlapping a time range', async () => {
      const a = await stories.create(storyInput('overlap-a', '2025-01-10T10:00:00Z', '2025-01-10T12:00:00Z'));
      const b = await stories.create(storyInput('overlap-b', '2025-01-03T00:00:00Z', '2025-01-12T00:00:00Z'));
      await stories.create(storyInput('overlap-c', '2025-02-01T00:00:00Z', '2025-02-01T01:00:00Z'));
      const found = await stories.listOverlapping(
        Date.parse('2025-01-10T11:00:00Z'),
        Date.parse('2025-01-10T11:30:00Z'),
      );
      expect(found.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('tracks gallery membership and versions', async () => {
      const s = await stories.create(storyInput('members'));
      await stories.addPhoto(s.id, 'ph_a');
      await stories.addPhoto(s.id, 'ph_b');
      await stories.addPhoto(s.id, 'ph_a');
      await stories.removePhoto(s.id, 'ph_b');
      expect(await stories.photoIds(s.id)).toEqual(['ph_a']);
      expect(await stories.photoCount(s.id)).toBe(1);
      expect(await stories.nextGalleryVersion(s.id)).toBe(1);
      expect(await stories.nextGalleryVersion(s.id)).toBe(2);
    });

    it('logs story changes so an in-memory index can catch up incrementally', async () => {
      const start = await stories.generation();
      const a = await stories.create(storyInput('changes-a'));
      const b = await stories.create(storyInput('changes-b'));
      const all = await stories.changesSince(start);
      expect(all.stories.map((s) => s.id)).toEqual([a.id, b.id]);
      expect(all.generation).toBe(start + 2);
      await stories.save({ ...a, headline: 'Edited' });
      const next = await stories.changesSince(all.generation);
      expect(next.stories.map((s) => [s.id, s.headline])).toEqual([[a.id, 'Edited']]);
      expect((await stories.changesSince(next.generation)).stories).toEqual([]);
      await expect(stories.save({ ...a, id: 'st_missing' })).rejects.toThrow(/No story/);
    });

    it('keeps gallery layout, publish times and index entries', async () => {
      const s = await stories.create(storyInput('layout'));
      expect(await stories.getLayout(s.id)).toEqual({ order: [], cover: null });
      await stories.setLayout(s.id, { order: ['ph_b', 'ph_a'], cover: 'ph_a' });
      expect(await stories.getLayout(s.id)).toEqual({ order: ['ph_b', 'ph_a'], cover: 'ph_a' });
      expect(await stories.lastPublishingAt(s.id)).toBeUndefined();
      await stories.markPublishing(s.id, 1234);
      expect(await stories.lastPublishingAt(s.id)).toBe(1234);
      const entry = {
        storyId: s.id,
        slug: s.slug,
        headline: s.headline,
        version: 1,
        updatedAt: '2024-08-12T00:00:00.000Z',
        final: false,
        photoCount: 0,
        url: 'u',
        cover: null,
      };
      await stories.recordGalleryEntry(entry);
      await stories.recordGalleryEntry({ ...entry, version: 2 });
      expect((await stories.galleryEntries()).filter((e) => e.storyId === s.id)).toEqual([
        { ...entry, version: 2 },
      ]);
    });

    it('writes automatic match decisions unless an editor decided or the photo was killed', async () => {
      const rendered = {
        renditions: [{ name: 'sm', key: 'k', width: 1, height: 1, format: 'jpeg', bytes: 1 }],
      };
      const p = photo({ ...rendered });
      await photos.register(p, first(p));
      const match = {
        decision: 'review' as const,
        storyId: 'st_x',
        score: 0.4,
        reasons: ['r'],
        candidates: [],
        matchedAt: 'now',
      };
      const auto = (id: string, decision: 'review' | 'unmatched' | 'matched', storyId: string | null) =>
        lifecycle.apply(
          id,
          { type: 'auto-match', decision, storyId },
          {
            set: { match: { ...match, decision }, storyId },
            awaitingAt: storyId ? null : 5000,
          },
        );
      expect(await auto(p.photoId, 'review', null)).toMatchObject({ ok: true });
      expect(await photos.awaitingStoryBetween(4000, 6000)).toContain(p.photoId);

      const manual = {
        ...match,
        decision: 'matched' as const,
        manual: { by: 'ed', at: 'now', action: 'assign' as const },
      };
      expect(
        await lifecycle.apply(
          p.photoId,
          { type: 'assign', storyId: 'st_x', by: 'ed' },
          {
            set: { match: manual, storyId: 'st_x' },
            awaitingAt: null,
          },
        ),
      ).toMatchObject({ ok: true, effects: [{ kind: 'publish', storyId: 'st_x' }] });
      expect(await photos.awaitingStoryBetween(4000, 6000)).not.toContain(p.photoId);
      // An automatic re-match cannot undo the editor's decision.
      expect(await auto(p.photoId, 'unmatched', null)).toMatchObject({ ok: false });
      expect(await photos.get(p.photoId)).toMatchObject({
        status: 'matched',
        storyId: 'st_x',
        match: manual,
      });

      const k = photo({ status: 'killed', ...rendered });
      await photos.register(k, first(k));
      expect(await auto(k.photoId, 'matched', 'st_x')).toMatchObject({ ok: false });
      expect((await photos.get(k.photoId))?.status).toBe('killed');

      const u = photo({ storyId: 'st_old', ...rendered });
      await photos.register(u, first(u));
      await auto(u.photoId, 'unmatched', null);
      expect((await photos.get(u.photoId))?.storyId).toBeUndefined();
      await photos.stopAwaitingStory(u.photoId);
      expect(await photos.awaitingStoryBetween(6000, 8000)).not.toContain(u.photoId);
    });

    it('keeps photos indexed by status through every change', async () => {
      const p = photo({ status: 'received', receivedAt: '2035-01-01T00:00:00.000Z' });
      await photos.register(p, first(p));
      const has = async (status: Photo['status']) =>
        (await photos.listByStatus(status, 0, 1000)).ids.includes(p.photoId);
      expect(await has('received')).toBe(true);
      await lifecycle.apply(
        p.photoId,
        { type: 'auto-match', decision: 'matched', storyId: 'st' },
        { set: { storyId: 'st' } },
      );
      expect([await has('received'), await has('matched')]).toEqual([false, true]);
      await lifecycle.apply(p.photoId, { type: 'published' });
      expect([await has('matched'), await has('published')]).toEqual([false, true]);
      await photos.update(p.photoId, { error: 'x' });
      expect(await has('published')).toBe(true);
      await lifecycle.apply(p.photoId, { type: 'kill', reason: 'KILL', at: 'now' });
      expect([await has('published'), await has('killed')]).toEqual([false, true]);
      const counts = await photos.countByStatus(['received', 'killed']);
      expect(counts.killed).toBeGreaterThanOrEqual(1);
      // Newest arrival first.
      const a = photo({ status: 'received', receivedAt: '2035-01-02T00:00:00.000Z' });
      const b = photo({ status: 'received', receivedAt: '2035-01-03T00:00:00.000Z' });
      await photos.register(a, first(a));
      await photos.register(b, first(b));
      expect((await photos.listByStatus('received', 0, 2)).ids).toEqual([b.photoId, a.photoId]);
    });

    it('searches by words, agency, status, story and capture range, paged', async () => {
      const mk = async (caption: string, agency: string, dateCreated: string, status: Photo['status']) => {
        const p = photo({ status });
        await photos.register(p, first(p));
        await photos.update(p.photoId, {
          metadata: { caption, agency, dateCreated, keywords: ['Searchtest'] },
        });
        return p.photoId;
      };
      const a = await mk(
        'Tom Cruise is lowered into the Stade de France',
        'AP',
        '2024-08-11T23:40:00+02:00',
        'review',
      );
      const b = await mk('Tom Cruise rides a motorbike', 'Reuters', '2024-08-11T23:50:00+02:00', 'matched');
      const c = await mk('Simone Biles waves to the crowd', 'AP', '2024-08-05T12:00:00Z', 'review');
      const ids = async (q: Parameters<PhotoCatalog['search']>[0]) => (await photos.search(q)).ids.sort();
      expect(await ids({ text: 'tom cruise', limit: 10 })).toEqual([a, b].sort());
      expect(await ids({ text: 'Crúise stade' })).toEqual([a]);
      expect(await ids({ text: 'searchtest', agency: 'ap' })).toEqual([a, c].sort());
      expect(await ids({ text: 'searchtest', status: 'review' })).toEqual([a, c].sort());
      expect(
        await ids({
          text: 'searchtest',
          fromMs: Date.parse('2024-08-11T00:00:00Z'),
          toMs: Date.parse('2024-08-12T00:00:00Z'),
        }),
      ).toEqual([a, b].sort());
      expect(
        await ids({
          status: 'review',
          fromMs: Date.parse('2024-08-01T00:00:00Z'),
          toMs: Date.parse('2024-08-06T00:00:00Z'),
        }),
      ).toEqual([c]);
      const s = await stories.create(storyInput('search-story'));
      await stories.addPhoto(s.id, b);
      expect(await ids({ storyId: s.id, text: 'cruise' })).toEqual([b]);
      expect(await ids({ text: 'nosuchword' })).toEqual([]);
      const page = await photos.search({ text: 'searchtest', limit: 2 });
      expect(page.total).toBe(3);
      expect(page.ids).toHaveLength(2);
      const rest = await photos.search({ text: 'searchtest', limit: 2, offset: 2 });
      expect(rest.ids).toHaveLength(1);
    });

    it('keeps an audit trail per photo and story, newest first', async () => {
      const audit = new AuditLog(redis, randomPrefix('audit'));
      await audit.record({
        actor: 'editor-1',
        action: 'assign',
        photoId: 'ph_1',
        storyId: 'st_1',
        detail: 'to st_1',
      });
      await audit.record({ actor: 'admin', action: 'reorder', storyId: 'st_1' });
      expect((await audit.of('photo', 'ph_1')).map((e) => e.action)).toEqual(['assign']);
      expect((await audit.of('story', 'st_1')).map((e) => e.action)).toEqual(['reorder', 'assign']);
      expect((await audit.recent(1))[0]).toMatchObject({
        actor: 'admin',
        action: 'reorder',
        at: expect.any(String),
      });
    });
  });
}
