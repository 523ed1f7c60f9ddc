import { describe, expect, it } from 'vitest';
import {
  cadenceOf,
  checkFeed,
  DEFAULT_FEED_HEALTH_OPTIONS,
  expectedArrivals,
  FeedMonitor,
  type FeedState,
  feedCadenceSchema,
  feedSummary,
  newFeedState,
  recordArrival,
  silenceAt,
} from '../src/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2025-01-06T00:00:00Z'); // a Monday, midnight UTC
const options = DEFAULT_FEED_HEALTH_OPTIONS;

/** A fake clock the tests move by hand. */
function fakeClock(start = T0) {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, {
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  });
}

/** A wire's day: `day` per hour 06–22 UTC, `night` per hour otherwise, evenly spread. */
function wireDay(
  monitor: FeedMonitor,
  clock: ReturnType<typeof fakeClock>,
  feed: string,
  dayStart: number,
  day = 60,
  night = 2,
) {
  for (let h = 0; h < 24; h++) {
    const perHour = h >= 6 && h < 22 ? day : night;
    for (let i = 0; i < perHour; i++) {
      clock.set(dayStart + h * HOUR + (i * HOUR) / perHour);
      monitor.arrival(feed);
    }
  }
}

describe('cadence', () => {
  it('is learned per UTC hour from whole days; the first partial day and today are left out', () => {
    let state = newFeedState('ap');
    // First day from noon (partial, busier: left out), then two whole days of 10/h by day, 1/h at night.
    for (let t = T0 + 12 * HOUR; t < T0 + DAY; t += 2 * MIN)
      state = recordArrival(state, t, 'accepted').state;
    for (let h = 24; h < 72; h++) {
      const perHour = h % 24 >= 6 && h % 24 < 22 ? 10 : 1;
      for (let i = 0; i < perHour; i++)
        state = recordArrival(state, T0 + h * HOUR + (i * HOUR) / perHour, 'accepted').state;
    }
    const cadence = cadenceOf(state, T0 + 3 * DAY + HOUR, options);
    expect(cadence?.source).toBe('learned by hour');
    expect(cadence?.perHour[10]).toBe(10);
    expect(cadence?.perHour[2]).toBe(1);
    expect(cadence?.perHour[13]).toBe(10); // not the first day's 30
  });

  it('uses the overall rate while fewer than two whole days are known, and nothing before 20 arrivals', () => {
    let state = newFeedState('afp');
    for (let i = 0; i < 19; i++) state = recordArrival(state, T0 + 9 * HOUR + i * 6 * MIN, 'accepted').state;
    expect(cadenceOf(state, T0 + 11 * HOUR, options)).toBeUndefined();
    state = recordArrival(state, T0 + 9 * HOUR + 19 * 6 * MIN, 'accepted').state;
    const cadence = cadenceOf(state, T0 + 11 * HOUR, options);
    expect(cadence?.source).toBe('learned overall');
    expect(cadence?.perHour[0]).toBeCloseTo(10, 5); // 20 arrivals in 2 hours
  });

  it('set by hand wins, as one figure or one per UTC hour', () => {
    expect(cadenceOf(newFeedState('dpa', { expectedPerHour: 12 }), T0, options)).toEqual({
      perHour: new Array(24).fill(12),
      source: 'set',
    });
    const perHour = Array.from({ length: 24 }, (_, h) => h);
    expect(cadenceOf(newFeedState('dpa', { expectedPerHour: perHour }), T0, options)?.perHour).toEqual(
      perHour,
    );
    expect(feedCadenceSchema.safeParse({ expectedPerHour: [1, 2] }).error?.issues[0]?.message).toMatch(
      /24 of them/,
    );
    expect(feedCadenceSchema.safeParse({ expectedPerHour: -1 }).success).toBe(false);
  });

  it('expected arrivals add up hour slot by hour slot', () => {
    const cadence = {
      perHour: Array.from({ length: 24 }, (_, h) => (h === 10 ? 60 : 6)),
      source: 'set' as const,
    };
    expect(expectedArrivals(cadence, T0 + 9.5 * HOUR, T0 + 10.5 * HOUR)).toBeCloseTo(3 + 30, 5);
    expect(expectedArrivals(cadence, T0 + 10 * HOUR, T0 + 10 * HOUR)).toBe(0);
  });
});

describe('silence', () => {
  it('a busy wire that stops at 10:00 is silent 10 minutes later: feed.silent once, feed.recovered once', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock);
    for (let d = 0; d < 3; d++) wireDay(monitor, clock, 'ap', T0 + d * DAY);
    // Day 4: normal until 10:00, then nothing.
    for (let t = T0 + 3 * DAY; t <= T0 + 3 * DAY + 10 * HOUR; t += MIN) {
      clock.set(t);
      monitor.arrival('ap');
    }
    const stopped = T0 + 3 * DAY + 10 * HOUR;
    clock.set(stopped + 5 * MIN);
    expect(monitor.check()).toEqual([]); // three expected, but not ten minutes yet
    clock.set(stopped + 10 * MIN);
    const opened = monitor.check();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      type: 'feed.silent',
      feed: 'ap',
      at: '2025-01-09T10:10:00.000Z',
      incident: {
        id: `ap:silence:${stopped + 10 * MIN}`,
        kind: 'silence',
        openedAt: '2025-01-09T10:10:00.000Z',
      },
    });
    expect(opened[0]?.incident.reason).toMatch(
      /^ap: no arrival for 10 min \(last 2025-01-09T10:00:00.000Z\); about 10 were expected/,
    );
    clock.set(stopped + 30 * MIN);
    expect(monitor.check()).toEqual([]); // still the same incident: nothing fires again
    expect(monitor.summaries()[0]).toMatchObject({ feed: 'ap', silent: true });
    clock.set(stopped + 45 * MIN);
    const recovered = monitor.arrival('ap');
    expect(recovered).toEqual([
      expect.objectContaining({
        type: 'feed.recovered',
        incident: expect.objectContaining({ kind: 'silence', closedAt: '2025-01-09T10:45:00.000Z' }),
      }),
    ]);
    expect(monitor.check()).toEqual([]);
    expect(monitor.summaries()[0]).toMatchObject({ silent: false, openIncidents: [] });
    expect(monitor.summaries()[0]?.recentIncidents).toHaveLength(1);
  });

  it('a quiet night is no silence: a gap that would alarm by day is expected at night', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock);
    for (let d = 0; d < 3; d++) wireDay(monitor, clock, 'ap', T0 + d * DAY); // last arrival: 23:30
    const state = () => monitor.states()[0] as FeedState;
    clock.set(T0 + 3 * DAY + 20 * MIN); // 50 minutes without an arrival, about 1.7 expected
    expect(monitor.check()).toEqual([]);
    expect(silenceAt(state(), clock(), options)).toMatchObject({ silent: false, cadence: 'learned by hour' });
    expect(silenceAt(state(), clock(), options).expected).toBeCloseTo(50 / 30, 5);
    // The same 50 minutes by day would be 50 missed arrivals.
    const byDay = recordArrival(state(), T0 + 3 * DAY + 9 * HOUR, 'accepted').state;
    expect(silenceAt(byDay, T0 + 3 * DAY + 9 * HOUR + 50 * MIN, options).silent).toBe(true);
  });

  it('a feed whose cadence is set is judged from its first day', () => {
    const clock = fakeClock(T0 + 9 * HOUR);
    const monitor = new FeedMonitor(clock, options, { reuters: { expectedPerHour: 12 } });
    monitor.watch('reuters');
    clock.advance(2 * HOUR);
    expect(monitor.check()).toEqual([]); // never sent yet: nothing to compare against
    monitor.arrival('reuters');
    clock.advance(14 * MIN);
    expect(monitor.check()).toEqual([]); // 2.8 expected
    clock.advance(1 * MIN);
    expect(monitor.check().map((e) => e.type)).toEqual(['feed.silent']);
  });

  it('an arrival counted elsewhere (stored counters) closes the silence at the next check, once', () => {
    const clock = fakeClock(T0 + 9 * HOUR);
    const monitor = new FeedMonitor(clock, options, { dpa: { expectedPerHour: 60 } });
    monitor.arrival('dpa');
    clock.advance(15 * MIN);
    expect(monitor.check().map((e) => e.type)).toEqual(['feed.silent']);
    // Another process counted an arrival: the state's last arrival moved, nothing closed it yet.
    const counted = { ...(monitor.states()[0] as FeedState), lastArrivalAt: clock() + 5 * MIN, arrivals: 2 };
    const next = checkFeed(counted, clock() + 6 * MIN, options);
    expect(next.events).toEqual([
      expect.objectContaining({
        type: 'feed.recovered',
        at: new Date(clock() + 5 * MIN).toISOString(),
        incident: expect.objectContaining({
          kind: 'silence',
          closedAt: new Date(clock() + 5 * MIN).toISOString(),
        }),
      }),
    ]);
    expect(checkFeed(next.state, clock() + 7 * MIN, options).events).toEqual([]);
    // An arrival from before the incident opened does not close it.
    const stale = { ...(monitor.states()[0] as FeedState), lastArrivalAt: clock() - MIN };
    expect(checkFeed(stale, clock() + MIN, options).events).toEqual([]);
  });

  it('nothing is judged before the cadence is known', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock);
    monitor.arrival('new-feed');
    clock.advance(DAY);
    expect(monitor.check()).toEqual([]);
  });
});

describe('rejection rate', () => {
  /** `n` transmissions over `span` ms from `start`, every `every`-th rejected. */
  function send(
    monitor: FeedMonitor,
    clock: ReturnType<typeof fakeClock>,
    feed: string,
    start: number,
    span: number,
    n: number,
    every: number,
  ) {
    const events = [];
    for (let i = 0; i < n; i++) {
      clock.set(start + (i * span) / n);
      events.push(...monitor.arrival(feed, every > 0 && i % every === 0 ? 'rejected' : 'accepted'));
    }
    return events;
  }

  it('a jump from 2 % to 50 % fires feed.rejecting once, and feed.recovered once it falls back', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock, { ...options, minArrivalsToLearn: 1_000_000 });
    expect(send(monitor, clock, 'getty', T0, 20 * HOUR, 1000, 50)).toEqual([]);
    const jump = send(monitor, clock, 'getty', T0 + 20 * HOUR, HOUR, 40, 2);
    expect(jump.map((e) => e.type)).toEqual(['feed.rejecting']);
    expect(jump[0]?.incident.reason).toMatch(
      /^getty: \d+ of \d+ transmissions rejected in the last 60 min \(\d+ %; before: 2 %\)$/,
    );
    expect(monitor.summaries()[0]?.openIncidents.map((i) => i.kind)).toEqual(['rejections']);
    // Still bad an hour later: nothing new fires.
    expect(send(monitor, clock, 'getty', T0 + 21 * HOUR, HOUR, 40, 2)).toEqual([]);
    // Fixed: an hour of clean transmissions.
    const fixed = send(monitor, clock, 'getty', T0 + 22 * HOUR, HOUR, 60, 0);
    expect(fixed.map((e) => e.type)).toEqual(['feed.recovered']);
    expect(monitor.summaries()[0]?.openIncidents).toEqual([]);
  });

  it('a long incident does not recover because the baseline caught up with it', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock, { ...options, minArrivalsToLearn: 1_000_000 });
    send(monitor, clock, 'epa', T0, 10 * HOUR, 200, 0);
    const events = send(monitor, clock, 'epa', T0 + 10 * HOUR, 30 * HOUR, 1200, 2);
    expect(events.map((e) => e.type)).toEqual(['feed.rejecting']);
  });

  it('a feed rejected from its start (no baseline) trips the absolute minimum; few samples never do', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock, { ...options, minArrivalsToLearn: 1_000_000 });
    expect(send(monitor, clock, 'new', T0, 10 * MIN, 9, 1)).toEqual([]); // nine, all rejected: too few
    expect(send(monitor, clock, 'new', T0 + 10 * MIN, 10 * MIN, 3, 1).map((e) => e.type)).toEqual([
      'feed.rejecting',
    ]);
  });

  it('a quiet hour ends a rejection incident (nothing left to judge)', () => {
    let state = newFeedState('x');
    for (let i = 0; i < 12; i++) state = recordArrival(state, T0 + i * MIN, 'rejected').state;
    expect(state.incidents.map((i) => i.kind)).toEqual(['rejections']);
    const later = checkFeed(state, T0 + 2 * HOUR);
    expect(later.events.map((e) => e.type)).toEqual(['feed.recovered']);
  });
});

describe('state', () => {
  it('is plain JSON that round-trips through the monitor (phase B stores it)', () => {
    const clock = fakeClock();
    const monitor = new FeedMonitor(clock, options, { ap: { expectedPerHour: 60 } });
    for (let i = 0; i < 30; i++) {
      clock.set(T0 + i * MIN);
      monitor.arrival('ap', i % 10 === 0 ? 'rejected' : 'accepted');
    }
    clock.set(T0 + 45 * MIN);
    expect(monitor.check().map((e) => e.type)).toEqual(['feed.silent']);
    const stored = JSON.parse(JSON.stringify(monitor.states())) as FeedState[];
    const restarted = new FeedMonitor(clock, options, {});
    restarted.load(stored);
    expect(restarted.states()[0]).not.toHaveProperty('cadence'); // no longer set in the configuration
    expect(restarted.summaries()[0]).toMatchObject({
      feed: 'ap',
      silent: true,
      lastArrivalAt: '2025-01-06T00:29:00.000Z',
      lastArrivalSeconds: (T0 + 29 * MIN) / 1000,
      recent: { windowMinutes: 60, transmissions: 30, rejected: 3, rejectionRate: 0.1 },
    });
    // The incident opened before the restart closes once, after it.
    clock.set(T0 + 50 * MIN);
    expect(restarted.arrival('ap').map((e) => e.type)).toEqual(['feed.recovered']);
    expect(() => restarted.load([{ ...(stored[0] as FeedState), version: 2 as 1 }])).toThrow(/version 2/);
  });

  it('keeps counts bounded: learning days, outcome buckets and closed incidents', () => {
    let state = newFeedState('bounded', { expectedPerHour: 60 });
    for (let d = 0; d < 40; d++) {
      state = recordArrival(state, T0 + d * DAY, 'accepted').state;
      state = checkFeed(state, T0 + d * DAY + 2 * HOUR).state; // silent every day…
    }
    expect(state.days.length).toBeLessThanOrEqual(options.learningDays + 1);
    expect(state.outcomes.length).toBeLessThanOrEqual(
      (options.rejectionBaselineMs + options.rejectionWindowMs) / options.bucketMs + 1,
    );
    expect(state.incidents.filter((i) => !i.closedAt)).toHaveLength(1);
    expect(state.incidents.filter((i) => i.closedAt)).toHaveLength(options.keepClosedIncidents);
  });

  it('summarises a feed never heard from', () => {
    expect(feedSummary(newFeedState('none'), T0)).toEqual({
      feed: 'none',
      silent: false,
      expectedThisHour: undefined,
      cadence: undefined,
      recent: { windowMinutes: 60, transmissions: 0, rejected: 0, rejectionRate: 0 },
      openIncidents: [],
      recentIncidents: [],
    });
  });
});
