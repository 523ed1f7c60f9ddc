import { describe, expect, it } from 'vitest';
import { publishLatency, waitPatch } from '../src/index.js';

const T = (s: number) => new Date(Date.UTC(2025, 0, 6, 9, 0, s)).toISOString();

describe('wait clock: status latency without embargo and editor waits', () => {
  it('a new photo that arrives embargoed or held starts waiting; a received one does not', () => {
    expect(waitPatch(undefined, 'embargoed', T(0))).toEqual({ waitingSince: T(0) });
    expect(waitPatch(undefined, 'held', T(0))).toEqual({ waitingSince: T(0) });
    expect(waitPatch(undefined, 'received', T(0))).toEqual({});
  });

  it('leaving a wait adds its time; earlier waits add up', () => {
    expect(waitPatch({ status: 'embargoed', waitingSince: T(0) }, 'received', T(30))).toEqual({
      waitingSince: null,
      waitedMs: 30_000,
    });
    expect(waitPatch({ status: 'review', waitingSince: T(40), waitedMs: 30_000 }, 'matched', T(50))).toEqual({
      waitingSince: null,
      waitedMs: 40_000,
    });
  });

  it('from one wait to another (embargo lifts, a hold remains) the clock keeps running', () => {
    expect(waitPatch({ status: 'embargoed', waitingSince: T(0) }, 'held', T(10))).toEqual({});
    expect(waitPatch({ status: 'received' }, 'matched', T(10))).toEqual({});
  });

  it('the matcher’s review and unmatched are editor waits too', () => {
    expect(waitPatch({ status: 'received' }, 'review', T(5))).toEqual({ waitingSince: T(5) });
    expect(waitPatch({ status: 'received' }, 'unmatched', T(5))).toEqual({ waitingSince: T(5) });
  });

  it('a record from before the clock (no waitingSince) adds nothing, never a negative', () => {
    expect(waitPatch({ status: 'held' }, 'received', T(10))).toEqual({ waitingSince: null, waitedMs: 0 });
    expect(waitPatch({ status: 'held', waitingSince: T(20) }, 'received', T(10))).toEqual({
      waitingSince: null,
      waitedMs: 0,
    });
  });

  it('publish latency: the whole time and the waits in it', () => {
    const now = Date.parse(T(320));
    expect(publishLatency({ receivedAt: T(0), waitedMs: 312_000 }, now)).toEqual({
      latencyMs: 320_000,
      waitedMs: 312_000,
    });
    expect(publishLatency({ receivedAt: T(0) }, now)).toEqual({ latencyMs: 320_000, waitedMs: 0 });
    // Still waiting (should not happen at publication): the open wait counts, capped by the whole.
    expect(publishLatency({ receivedAt: T(300), waitingSince: T(0) }, now)).toEqual({
      latencyMs: 20_000,
      waitedMs: 20_000,
    });
  });
});
