import type { EmbargoReading } from '@lightbox/wire-rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideTransmission,
  type IdentityView,
  type PhotoView,
  stickyEmbargo,
  supersedes,
  type TransmissionDecision,
  type TransmissionFacts,
} from '../src/index.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3600_000;
const none: EmbargoReading = { state: 'none' };
const until = (ms: number): EmbargoReading => ({ state: 'until', until: iso(ms), source: 'instructions' });

const tx = (over: Partial<TransmissionFacts> = {}): TransmissionFacts => ({
  feed: 'ap',
  group: 'ap',
  marker: 'none',
  identityKeys: ['guid:1'],
  embargo: none,
  at: iso(NOW),
  ...over,
});
const photo = (over: Partial<PhotoView> = {}): PhotoView => ({
  photoId: 'ph_1',
  group: 'ap',
  status: 'published',
  version: 1,
  currentKind: 'original',
  hasPicture: true,
  rendered: true,
  storyId: 'st',
  ...over,
});
const decide = (view: IdentityView, t: TransmissionFacts) => decideTransmission(view, t, NOW);

describe('new pictures', () => {
  it('a first transmission is a new photo that claims its identity', () => {
    expect(decide({}, tx())).toEqual({
      outcome: 'new',
      kind: 'original',
      versionOutcome: 'current',
      state: { status: 'received' },
      keys: 'identity',
      effects: [{ kind: 'render' }],
    });
  });
  it('an embargoed picture is embargoed from the start, with its release timer', () => {
    expect(decide({}, tx({ embargo: until(NOW + H) }))).toMatchObject({
      state: { status: 'embargoed', embargoUntil: iso(NOW + H) },
      effects: [{ kind: 'render' }, { kind: 'release-at', at: iso(NOW + H) }],
    });
  });
  it('an embargo already past is no embargo', () => {
    expect(decide({}, tx({ embargo: until(NOW - H) }))).toMatchObject({ state: { status: 'received' } });
  });
  it('an embargo Lightbox cannot read holds the picture for an editor', () => {
    expect(decide({}, tx({ embargo: { state: 'unreadable', text: 'EMBARGOED UNTIL LATER' } }))).toMatchObject(
      {
        state: { status: 'held', hold: 'embargo time not understood: "EMBARGOED UNTIL LATER"' },
      },
    );
  });
  it('without identity keys nothing is claimed', () => {
    expect(decide({}, tx({ identityKeys: [] }))).toMatchObject({ outcome: 'new', keys: 'none' });
  });
  it('a kill for a picture not seen yet is kept for its feed group, killed', () => {
    expect(decide({}, tx({ marker: 'kill', reason: 'MANDATORY KILL' }))).toEqual({
      outcome: 'new',
      kind: 'kill',
      versionOutcome: 'killed',
      state: { status: 'killed', killed: { at: iso(NOW), reason: 'MANDATORY KILL' } },
      keys: 'prekill',
      effects: [{ kind: 'takedown', why: 'kill' }],
    });
  });
  it('a picture under a kill tombstone from before feed groups arrives killed', () => {
    const killed = { reason: 'KILL', at: iso(NOW - H) };
    expect(decide({ legacyKill: killed }, tx())).toMatchObject({
      outcome: 'new',
      state: { status: 'killed', killed },
      keys: 'identity',
    });
  });
});

describe('duplicates and ownership', () => {
  it('the same transmission again changes nothing', () => {
    expect(decide({ duplicateOf: { photoId: 'ph_1' }, owner: photo() }, tx({ marker: 'kill' }))).toEqual({
      outcome: 'duplicate',
      photoId: 'ph_1',
    });
  });
  it.each(['none', 'correction', 'kill', 'release'] as const)(
    "another feed's %s of an owned picture is refused",
    (marker) => {
      expect(decide({ owner: photo() }, tx({ feed: 'rtr', group: 'rtr', marker }))).toMatchObject({
        outcome: 'refused',
        code: 'identity_owned_by_other_feed',
      });
    },
  );
  it("another feed's kill notice does not touch a picture it does not own", () => {
    // The kill notice was filed under its own group only; the other group sees no prekill.
    expect(decide({}, tx({ feed: 'rtr', group: 'rtr' }))).toMatchObject({ outcome: 'new' });
  });
  it('feeds of one group share their pictures', () => {
    expect(decide({ owner: photo({ group: 'ap' }) }, tx({ feed: 'ap-ftp', group: 'ap' }))).toMatchObject({
      outcome: 'version',
      versionOutcome: 'current',
    });
  });
});

describe('kills', () => {
  it('a kill wins over the published picture and takes it down', () => {
    expect(decide({ owner: photo() }, tx({ marker: 'kill', reason: 'KILL' }))).toEqual({
      outcome: 'version',
      photoId: 'ph_1',
      kind: 'kill',
      claimIdentity: false,
      versionOutcome: 'killed',
      state: { status: 'killed', killed: { at: iso(NOW), reason: 'KILL' } },
      effects: [{ kind: 'takedown', why: 'kill' }],
    });
  });
  it('a kill still kills an expired picture; other versions of it are recorded', () => {
    expect(decide({ owner: photo({ status: 'expired' }) }, tx({ marker: 'kill' }))).toMatchObject({
      versionOutcome: 'killed',
    });
    expect(decide({ owner: photo({ status: 'expired' }) }, tx())).toMatchObject({
      versionOutcome: 'recorded',
    });
  });
  it('versions of a killed picture are recorded and change nothing', () => {
    for (const marker of ['none', 'correction', 'kill', 'release'] as const)
      expect(decide({ owner: photo({ status: 'killed' }) }, tx({ marker }))).toMatchObject({
        outcome: 'version',
        versionOutcome: 'recorded',
        effects: [],
      });
  });
  it('the picture of an earlier kill notice is killed on arrival, attached to the notice, and announced', () => {
    const notice = photo({ status: 'killed', hasPicture: false, currentKind: 'kill', rendered: false });
    expect(decide({ prekill: notice }, tx())).toEqual({
      outcome: 'version',
      photoId: 'ph_1',
      kind: 'update',
      claimIdentity: true,
      versionOutcome: 'recorded',
      effects: [{ kind: 'takedown', why: 'kill' }],
    });
  });
});

describe('versions', () => {
  it('an update replaces the current version and goes through the pipeline again', () => {
    expect(decide({ owner: photo() }, tx())).toEqual({
      outcome: 'version',
      photoId: 'ph_1',
      kind: 'update',
      claimIdentity: false,
      versionOutcome: 'current',
      state: { status: 'received' },
      effects: [{ kind: 'render' }],
    });
  });
  it('a correction supersedes the version it corrects even when it arrives first', () => {
    expect(decide({ owner: photo({ currentKind: 'correction' }) }, tx())).toMatchObject({
      versionOutcome: 'superseded',
      effects: [],
    });
    expect(decide({ owner: photo({ currentKind: 'original' }) }, tx({ marker: 'correction' }))).toMatchObject(
      {
        kind: 'correction',
        versionOutcome: 'current',
      },
    );
    expect(
      decide({ owner: photo({ currentKind: 'correction' }) }, tx({ marker: 'correction' })),
    ).toMatchObject({
      versionOutcome: 'current',
    });
  });
  it('numbered versions go by their number', () => {
    expect(supersedes({ kind: 'update', itemVersion: 3 }, { kind: 'correction', itemVersion: 2 })).toBe(true);
    expect(supersedes({ kind: 'correction', itemVersion: 2 }, { kind: 'update', itemVersion: 3 })).toBe(
      false,
    );
  });
  it('a version of a rejected photo (a broken file) is a fresh start', () => {
    expect(decide({ owner: photo({ status: 'rejected', rendered: false }) }, tx())).toMatchObject({
      versionOutcome: 'current',
      state: { status: 'received' },
    });
  });
});

describe('a version whose bytes cannot be used (found by a hostile test)', () => {
  const bad = (over: Partial<TransmissionFacts> = {}) =>
    tx({ unusable: 'truncated_image: the file ends early', ...over });
  it('never replaces a usable picture: recorded as rejected, the published version stays', () => {
    expect(decide({ owner: photo() }, bad())).toEqual({
      outcome: 'version',
      photoId: 'ph_1',
      kind: 'update',
      claimIdentity: false,
      versionOutcome: 'rejected',
      effects: [],
    });
    expect(decide({ owner: photo() }, bad({ marker: 'correction' }))).toMatchObject({
      versionOutcome: 'rejected',
      effects: [],
    });
  });
  it('still brings its embargo, like an older version would', () => {
    expect(decide({ owner: photo() }, bad({ embargo: until(NOW + H) }))).toMatchObject({
      versionOutcome: 'rejected',
      state: { status: 'embargoed', embargoUntil: iso(NOW + H) },
      effects: [
        { kind: 'takedown', why: 'withdraw' },
        { kind: 'release-at', at: iso(NOW + H) },
      ],
    });
  });
  it('a kill with unusable bytes still kills', () => {
    expect(decide({ owner: photo() }, bad({ marker: 'kill' }))).toMatchObject({
      versionOutcome: 'killed',
      state: { status: 'killed' },
    });
  });
  it('the first picture, or one replacing a rejected photo, becomes current (and is rejected by intake)', () => {
    expect(decide({}, bad())).toMatchObject({ outcome: 'new', versionOutcome: 'current' });
    expect(decide({ owner: photo({ status: 'rejected', rendered: false }) }, bad())).toMatchObject({
      versionOutcome: 'current',
    });
  });
});

describe('embargoes are sticky', () => {
  const embargoed = photo({
    status: 'embargoed',
    embargoUntil: iso(NOW + H),
    rendered: false,
    storyId: undefined,
  });
  it('a correction that does not repeat the embargo keeps it', () => {
    expect(decide({ owner: embargoed }, tx({ marker: 'correction' }))).toMatchObject({
      versionOutcome: 'current',
      state: { status: 'embargoed', embargoUntil: iso(NOW + H) },
    });
  });
  it('a later version cannot shorten it, but may lengthen it', () => {
    expect(decide({ owner: embargoed }, tx({ embargo: until(NOW + 60_000) }))).toMatchObject({
      state: { embargoUntil: iso(NOW + H) },
    });
    expect(decide({ owner: embargoed }, tx({ embargo: until(NOW + 2 * H) }))).toMatchObject({
      state: { embargoUntil: iso(NOW + 2 * H) },
    });
  });
  it('an explicit release from the owning feed lifts it', () => {
    expect(decide({ owner: embargoed }, tx({ marker: 'release' }))).toMatchObject({
      kind: 'release',
      versionOutcome: 'current',
      state: { status: 'received', releasedUntil: iso(NOW + H) },
    });
  });
  it('an older copy of a released embargo does not bring it back', () => {
    const released = photo({ status: 'published', releasedUntil: iso(NOW + H), currentKind: 'correction' });
    expect(decide({ owner: released }, tx({ embargo: until(NOW + H) }))).toMatchObject({
      versionOutcome: 'superseded',
      effects: [],
    });
  });
  it('an embargo on a new version of a published picture takes it down until then', () => {
    expect(decide({ owner: photo() }, tx({ embargo: until(NOW + H) }))).toMatchObject({
      versionOutcome: 'current',
      state: { status: 'embargoed', embargoUntil: iso(NOW + H) },
      effects: [
        { kind: 'render' },
        { kind: 'takedown', why: 'withdraw' },
        { kind: 'release-at', at: iso(NOW + H) },
      ],
    });
  });
  it('an older version arriving late still brings its embargo', () => {
    expect(
      decide({ owner: photo({ currentKind: 'correction' }) }, tx({ embargo: until(NOW + H) })),
    ).toMatchObject({
      versionOutcome: 'superseded',
      state: { status: 'embargoed', embargoUntil: iso(NOW + H) },
      effects: [
        { kind: 'takedown', why: 'withdraw' },
        { kind: 'release-at', at: iso(NOW + H) },
      ],
    });
  });
  it('stickyEmbargo: only tightens; a release ends the one in force', () => {
    const inForce = iso(NOW + H);
    expect(stickyEmbargo(inForce, none, { release: false, now: NOW })).toBe(inForce);
    expect(stickyEmbargo(inForce, none, { release: true, now: NOW })).toBeUndefined();
    expect(stickyEmbargo(inForce, until(NOW + 2 * H), { release: true, now: NOW })).toBe(iso(NOW + 2 * H));
    expect(stickyEmbargo(iso(NOW - 1), none, { release: false, now: NOW })).toBeUndefined();
  });
});

describe('credentials holds and licences (issue 15)', () => {
  const tampered = 'Content Credentials do not verify (assertion.dataHash.mismatch)';
  const feedRule = { expireAfterDays: 30, applies: 'unpublished' as const };
  it('a new picture whose credentials do not verify waits for an editor', () => {
    expect(decide({}, tx({ hold: tampered }))).toMatchObject({
      outcome: 'new',
      state: { status: 'held', hold: tampered },
      effects: [{ kind: 'render' }],
    });
  });
  it('an embargo comes first; the hold remains when it lifts', () => {
    expect(decide({}, tx({ hold: tampered, embargo: until(NOW + H) }))).toMatchObject({
      state: { status: 'embargoed', embargoUntil: iso(NOW + H), hold: tampered },
    });
  });
  it('a current version with bad credentials takes a published picture down and holds it', () => {
    expect(decide({ owner: photo() }, tx({ hold: tampered }))).toMatchObject({
      versionOutcome: 'current',
      state: { status: 'held', hold: tampered },
      effects: [{ kind: 'render' }, { kind: 'takedown', why: 'withdraw' }],
    });
  });
  it('an older version’s credentials do not hold the current one', () => {
    expect(decide({ owner: photo({ currentKind: 'correction' }) }, tx({ hold: tampered }))).toMatchObject({
      versionOutcome: 'superseded',
      effects: [],
    });
  });
  it('a picture whose licence has already run out arrives expired, never shown', () => {
    const d = decide({}, tx({ licence: { iim: '2024-09-30T18:00:00+02:00' } }));
    expect(d).toMatchObject({
      outcome: 'new',
      versionOutcome: 'current',
      keys: 'identity',
      state: {
        status: 'expired',
        expired: {
          at: iso(NOW),
          reason:
            'agency expiry (IIM 2:37/2:38) 2024-09-30T18:00:00+02:00 (expires 2024-09-30T16:00:00.000Z)',
        },
      },
      effects: [],
    });
  });
  it('a licence still running is carried with the decision', () => {
    expect(decide({}, tx({ licence: { feedRule } }))).toMatchObject({
      state: { status: 'received' },
      expiry: { at: iso(NOW + 30 * 24 * H), source: 'feed' },
    });
  });
  it('a version counts the feed’s days from the photo’s first arrival, and not once published', () => {
    const arrived = iso(NOW - 40 * 24 * H);
    expect(
      decide({ owner: photo({ status: 'unmatched', receivedAt: arrived }) }, tx({ licence: { feedRule } })),
    ).toMatchObject({
      versionOutcome: 'current',
      state: { status: 'expired' },
      effects: [{ kind: 'takedown', why: 'expire' }],
    });
    expect(
      decide({ owner: photo({ receivedAt: arrived, publishedAt: arrived }) }, tx({ licence: { feedRule } })),
    ).toMatchObject({ versionOutcome: 'current', state: { status: 'received' } });
  });
  it('a version of an expired photo is recorded, nothing more', () => {
    expect(decide({ owner: photo({ status: 'expired' }) }, tx())).toMatchObject({
      versionOutcome: 'recorded',
      effects: [],
    });
  });
});

/**
 * A tiny in-memory catalog that records decisions the way `PhotoLifecycle` does, to check that the
 * decision's outcome does not depend on arrival order where the rules say it must not.
 */
class MemoryCatalog {
  photos = new Map<string, PhotoView & { caption: string }>();
  identity = new Map<string, string>();
  prekill = new Map<string, string>();
  seen = new Map<string, string>();
  private next = 1;

  view(t: TransmissionFacts, fingerprint: string): IdentityView {
    const dup = this.seen.get(fingerprint);
    const ownerId = t.identityKeys.map((k) => this.identity.get(k)).find(Boolean);
    const prekillId = t.identityKeys.map((k) => this.prekill.get(`${t.group}|${k}`)).find(Boolean);
    return {
      ...(dup ? { duplicateOf: { photoId: dup } } : {}),
      ...(ownerId ? { owner: this.photos.get(ownerId) } : {}),
      ...(prekillId ? { prekill: this.photos.get(prekillId) } : {}),
    };
  }

  accept(t: TransmissionFacts, fingerprint: string, caption: string): TransmissionDecision {
    const d = decideTransmission(this.view(t, fingerprint), t, NOW);
    if (d.outcome === 'duplicate' || d.outcome === 'refused') return d;
    if (d.outcome === 'new') {
      const id = `ph_${this.next++}`;
      this.photos.set(id, {
        photoId: id,
        group: t.group,
        version: 1,
        status: d.state.status,
        embargoUntil: d.state.embargoUntil,
        currentKind: d.kind,
        hasPicture: d.kind !== 'kill',
        caption,
      });
      for (const k of t.identityKeys)
        if (d.keys === 'identity') this.identity.set(k, id);
        else if (d.keys === 'prekill') this.prekill.set(`${t.group}|${k}`, id);
      this.seen.set(fingerprint, id);
      return d;
    }
    const p = this.photos.get(d.photoId) as PhotoView & { caption: string };
    p.version++;
    if (d.state) {
      p.status = d.state.status;
      p.embargoUntil = d.state.embargoUntil;
      if (d.state.releasedUntil) p.releasedUntil = d.state.releasedUntil;
    }
    if (d.versionOutcome === 'current') {
      p.currentKind = d.kind;
      p.caption = caption;
    }
    if (t.marker !== 'kill') p.hasPicture = true;
    if (d.claimIdentity)
      for (const k of t.identityKeys) if (!this.identity.has(k)) this.identity.set(k, d.photoId);
    this.seen.set(fingerprint, d.photoId);
    return d;
  }
}

interface Sent {
  marker: 'none' | 'correction' | 'kill';
  group: string;
  embargoHours?: number;
  caption: string;
}
const sent = fc.record({
  marker: fc.constantFrom('none', 'correction', 'kill') as fc.Arbitrary<Sent['marker']>,
  group: fc.constantFrom('ap', 'ap', 'rtr'),
  embargoHours: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  caption: fc.string({ minLength: 1, maxLength: 4 }),
});

describe('order does not matter where the rules say so (property)', () => {
  const run = (list: Sent[]) => {
    const cat = new MemoryCatalog();
    list.forEach((m, i) => {
      cat.accept(
        tx({
          group: m.group,
          feed: m.group,
          marker: m.marker,
          embargo: m.embargoHours ? until(NOW + m.embargoHours * H) : none,
        }),
        `fp${i}:${m.caption}`,
        m.caption,
      );
    });
    return cat;
  };
  const shuffled = (list: Sent[]) =>
    fc.constant(list).chain((l) => fc.shuffledSubarray(l, { minLength: l.length, maxLength: l.length }));

  it('a kill from the owning group wins whatever the order; at most one photo per group', () => {
    fc.assert(
      fc.property(
        fc.array(sent, { minLength: 1, maxLength: 6 }).chain((l) => fc.tuple(fc.constant(l), shuffled(l))),
        ([a, b]) => {
          for (const order of [a, b]) {
            const cat = run(order);
            const groupsKilling = new Set(order.filter((m) => m.marker === 'kill').map((m) => m.group));
            const owner = cat.photos.get(cat.identity.get('guid:1') ?? '');
            if (owner && groupsKilling.has(owner.group)) expect(owner.status).toBe('killed');
            // Only the owning group's photo carries the identity: exactly one photo holds it.
            const holders = [...cat.identity.values()];
            expect(new Set(holders).size).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('the embargo in force is the latest one sent by the owner, whatever the order', () => {
    fc.assert(
      fc.property(
        fc
          .array(
            sent.map((m) => ({
              ...m,
              group: 'ap',
              marker: m.marker === 'kill' ? ('none' as const) : m.marker,
            })),
            {
              minLength: 1,
              maxLength: 6,
            },
          )
          .chain((l) => fc.tuple(fc.constant(l), shuffled(l))),
        ([a, b]) => {
          const latest = Math.max(0, ...a.map((m) => m.embargoHours ?? 0));
          for (const order of [a, b]) {
            const p = run(order).photos.get('ph_1');
            expect(p?.embargoUntil).toBe(latest ? iso(NOW + latest * H) : undefined);
            expect(p?.status).toBe(latest ? 'embargoed' : 'received');
          }
        },
      ),
    );
  });

  it('a correction is current whatever the order of the original and the correction', () => {
    fc.assert(
      fc.property(fc.boolean(), (correctionFirst) => {
        const o: Sent = { marker: 'none', group: 'ap', caption: 'original' };
        const c: Sent = { marker: 'correction', group: 'ap', caption: 'corrected' };
        const p = run(correctionFirst ? [c, o] : [o, c]).photos.get('ph_1');
        expect(p?.caption).toBe('corrected');
      }),
    );
  });
});
