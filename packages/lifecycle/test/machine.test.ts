import { PHOTO_STATUSES, type PhotoStatus } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import { type LifecycleEvent, type LifecycleState, transition, withEditorReview } from '../src/index.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const at = new Date(NOW).toISOString();
const later = new Date(NOW + 3600_000).toISOString();
const earlier = new Date(NOW - 60_000).toISOString();
const s = (status: PhotoStatus, more: Partial<LifecycleState> = {}): LifecycleState => ({
  status,
  version: 1,
  ...more,
});
const ok = (state: LifecycleState, event: LifecycleEvent) => {
  const r = transition(state, event, NOW);
  if (!r.ok) throw new Error(`refused: ${r.message}`);
  return r;
};
const refused = (state: LifecycleState, event: LifecycleEvent) => transition(state, event, NOW).ok === false;

describe('kill', () => {
  it.each(PHOTO_STATUSES.filter((x) => x !== 'killed'))(
    'wins from %s, and takes the photo down',
    (status) => {
      const r = ok(s(status), { type: 'kill', reason: 'MANDATORY KILL', at });
      expect(r.patch).toEqual({ status: 'killed', killed: { at, reason: 'MANDATORY KILL' } });
      expect(r.effects).toEqual([{ kind: 'takedown', why: 'kill' }]);
    },
  );
  it('a second kill changes nothing', () => {
    expect(transition(s('killed'), { type: 'kill', reason: 'x', at }, NOW)).toMatchObject({
      ok: false,
      code: 'unchanged',
    });
  });
});

describe('expire', () => {
  const expiring = (status: PhotoStatus) => s(status, { expiresAt: earlier });
  it.each(['received', 'embargoed', 'held', 'matched', 'published', 'review', 'unmatched'] as const)(
    'from %s, once its licence has run out',
    (status) => {
      const r = ok(expiring(status), { type: 'expire', reason: 'licence', at });
      expect(r.patch).toEqual({ status: 'expired', expired: { at, reason: 'licence' } });
      expect(r.effects).toEqual([{ kind: 'takedown', why: 'expire' }]);
    },
  );
  it('exactly at its expiry', () => {
    expect(
      ok(s('published', { expiresAt: at }), { type: 'expire', reason: 'licence', at }).patch.status,
    ).toBe('expired');
  });
  it('never before its licence runs out, nor without a licence expiry', () => {
    expect(
      transition(s('published', { expiresAt: later }), { type: 'expire', reason: 'x', at }, NOW),
    ).toMatchObject({ ok: false, code: 'not_allowed', message: `the licence runs until ${later}` });
    expect(refused(s('published'), { type: 'expire', reason: 'licence', at })).toBe(true);
  });
  it.each(['rejected', 'killed', 'expired'] as const)('never from %s', (status) => {
    expect(refused(expiring(status), { type: 'expire', reason: 'licence', at })).toBe(true);
  });
});

describe('reject (bad bytes found by a stage)', () => {
  it.each(['received', 'embargoed', 'held'] as const)('from %s', (status) => {
    expect(ok(s(status), { type: 'reject', reason: 'truncated' }).patch).toEqual({
      status: 'rejected',
      error: 'truncated',
    });
  });
  it('withdraws what a previous version showed', () => {
    expect(
      ok(s('received', { rendered: true, storyId: 'st' }), { type: 'reject', reason: 'x' }).effects,
    ).toEqual([{ kind: 'takedown', why: 'withdraw' }]);
  });
  it.each(['matched', 'published', 'killed', 'expired'] as const)('not from %s', (status) => {
    expect(refused(s(status), { type: 'reject', reason: 'x' })).toBe(true);
  });
});

describe('auto-match', () => {
  const match = (storyId: string | null, decision: 'matched' | 'review' | 'unmatched' = 'matched') =>
    ({ type: 'auto-match', decision, storyId }) as const;
  it.each(['embargoed', 'held', 'rejected', 'killed', 'expired'] as const)(
    'never decides a %s photo',
    (status) => {
      expect(refused(s(status), match('st'))).toBe(true);
    },
  );
  it('never overrides an editor', () => {
    expect(refused(s('unmatched', { manual: 'unassign' }), match('st'))).toBe(true);
  });
  it('never matches before the embargo lifts, whatever the status says', () => {
    expect(refused(s('received', { embargoUntil: later }), match('st'))).toBe(true);
    expect(ok(s('received', { embargoUntil: earlier }), match('st')).patch.status).toBe('matched');
  });
  it('never matches a photo an editor must decide (AI media), whatever the matcher says', () => {
    const ai = s('received', { reviewReason: 'AI-generated' });
    expect(transition(ai, match('st'), NOW)).toMatchObject({
      ok: false,
      message: "an editor decides this photo's story: AI-generated",
    });
    expect(ok(ai, match('st', 'review')).patch.status).toBe('review');
    expect(ok(ai, match(null, 'unmatched')).patch.status).toBe('unmatched');
  });
  it('keeps a published photo published in the same story, and republishes it', () => {
    const r = ok(s('published', { storyId: 'st' }), match('st'));
    expect(r.patch.status).toBe('published');
    expect(r.effects).toEqual([{ kind: 'publish', storyId: 'st' }]);
  });
  it('moving stories republishes both', () => {
    expect(ok(s('published', { storyId: 'a' }), match('b')).effects).toEqual([
      { kind: 'publish', storyId: 'a' },
      { kind: 'publish', storyId: 'b' },
    ]);
    expect(ok(s('matched', { storyId: 'a' }), match(null, 'review')).effects).toEqual([
      { kind: 'publish', storyId: 'a' },
    ]);
  });
});

describe("an editor's decision survives new versions", () => {
  it('a new version of an assigned photo goes back to its story and republishes it', () => {
    const r = ok(s('received', { manual: 'assign', storyId: 'st' }), { type: 'keep-decision' });
    expect(r.patch.status).toBe('matched');
    expect(r.effects).toEqual([{ kind: 'publish', storyId: 'st' }]);
    expect(
      ok(s('published', { manual: 'assign', storyId: 'st' }), { type: 'keep-decision' }).patch.status,
    ).toBe('published');
  });
  it('a set-aside photo stays set aside', () => {
    expect(ok(s('received', { manual: 'unassign' }), { type: 'keep-decision' }).patch.status).toBe(
      'unmatched',
    );
    expect(transition(s('unmatched', { manual: 'reject' }), { type: 'keep-decision' }, NOW).ok).toBe(false);
  });
  it('only for decided photos that are not waiting or final', () => {
    expect(refused(s('received'), { type: 'keep-decision' })).toBe(true);
    expect(refused(s('killed', { manual: 'assign', storyId: 'st' }), { type: 'keep-decision' })).toBe(true);
    expect(refused(s('embargoed', { manual: 'assign', storyId: 'st' }), { type: 'keep-decision' })).toBe(
      true,
    );
  });
});

describe('published', () => {
  it('only from matched', () => {
    expect(ok(s('matched'), { type: 'published' }).patch.status).toBe('published');
    for (const status of PHOTO_STATUSES.filter((x) => x !== 'matched'))
      expect(refused(s(status), { type: 'published' })).toBe(true);
  });
  it('records when a gallery first showed the photo, once', () => {
    expect(ok(s('matched'), { type: 'published' }).patch).toEqual({ status: 'published', publishedAt: at });
    expect(ok(s('matched', { publishedAt: earlier }), { type: 'published' }).patch).toEqual({
      status: 'published',
    });
  });
});

describe('an editor decides AI and synthetic media', () => {
  const outcome = (decision: 'matched' | 'review' | 'unmatched') => ({
    decision,
    storyId: 'st',
    score: 0.9,
    reasons: ['event name'],
  });
  const why =
    'AI-generated (IPTC digital source type trainedAlgorithmicMedia): never published automatically';
  it('a match becomes a review, the reason first', () => {
    expect(withEditorReview(outcome('matched'), why)).toEqual({
      ...outcome('review'),
      reasons: [why, 'event name'],
    });
    expect(withEditorReview(outcome('review'), why).reasons).toEqual([why, 'event name']);
  });
  it('the reason is given once however often it is re-matched', () => {
    const once = withEditorReview(outcome('matched'), why);
    expect(withEditorReview(once, why)).toEqual(once);
  });
  it('no story stays no story; a photo without a reason is left alone', () => {
    expect(withEditorReview(outcome('unmatched'), why)).toEqual(outcome('unmatched'));
    expect(withEditorReview(outcome('matched'), undefined)).toEqual(outcome('matched'));
  });
});

describe('embargoes and holds', () => {
  it('the timer lifts an embargo only once its time has come', () => {
    expect(refused(s('embargoed', { embargoUntil: later }), { type: 'embargo-lapsed', at })).toBe(true);
    const r = ok(s('embargoed', { embargoUntil: earlier }), { type: 'embargo-lapsed', at });
    expect(r.patch.status).toBe('received');
    expect(r.effects).toEqual([{ kind: 'render' }]);
    expect(
      ok(s('embargoed', { embargoUntil: earlier, rendered: true }), { type: 'embargo-lapsed', at }).effects,
    ).toEqual([{ kind: 'match' }]);
  });
  it('a held photo stays held when its embargo lifts', () => {
    const r = ok(s('embargoed', { embargoUntil: earlier, hold: 'unclear' }), { type: 'embargo-lapsed', at });
    expect(r.patch.status).toBe('held');
    expect(r.effects).toEqual([]);
  });
  it('an explicit release lifts it early and says who', () => {
    const r = ok(s('embargoed', { embargoUntil: later }), { type: 'release-embargo', by: 'editor:ana', at });
    expect(r.patch).toEqual({
      status: 'received',
      embargoUntil: null,
      embargoReleased: { at, by: 'editor:ana', until: later },
    });
  });
  it('an editor clears a hold', () => {
    expect(ok(s('held', { hold: 'x' }), { type: 'release-hold', by: 'ana' }).patch).toEqual({
      status: 'received',
      hold: null,
    });
    expect(refused(s('received'), { type: 'release-hold', by: 'ana' })).toBe(true);
  });
});

describe("editors' decisions", () => {
  it('assign is refused while embargoed; an unrendered held photo is rendered first', () => {
    expect(refused(s('embargoed', { rendered: true }), { type: 'assign', storyId: 'st', by: 'ana' })).toBe(
      true,
    );
    expect(ok(s('held', { hold: 'x' }), { type: 'assign', storyId: 'st', by: 'ana' }).effects).toEqual([
      { kind: 'render' },
      { kind: 'publish', storyId: 'st' },
    ]);
    expect(ok(s('received'), { type: 'assign', storyId: 'st', by: 'ana' }).effects).toEqual([
      { kind: 'publish', storyId: 'st' },
    ]);
    const r = ok(s('review', { rendered: true }), { type: 'assign', storyId: 'st', by: 'ana' });
    expect(r.patch).toEqual({ status: 'matched', hold: null });
  });
  it('assigning a held photo clears the hold', () => {
    expect(
      ok(s('held', { rendered: true, hold: 'x' }), { type: 'assign', storyId: 'st', by: 'a' }).patch.hold,
    ).toBeNull();
  });
  it.each(['killed', 'rejected', 'expired'] as const)('nothing moves a %s photo', (status) => {
    expect(refused(s(status, { rendered: true }), { type: 'assign', storyId: 'st', by: 'a' })).toBe(true);
    expect(refused(s(status), { type: 'set-aside', by: 'a' })).toBe(true);
  });
  it('set aside republishes the story it leaves', () => {
    expect(ok(s('published', { storyId: 'st' }), { type: 'set-aside', by: 'a' }).effects).toEqual([
      { kind: 'publish', storyId: 'st' },
    ]);
  });
});
