import { DEFAULT_FEED_HEALTH_OPTIONS, type FeedCadence } from '@lightbox/feed-watch';
import { randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedHealth, feedHealthKeys } from '../src/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2025-01-06T09:00:00Z');

/** A fake clock the tests move by hand. */
function fakeClock(start = T0) {
  let now = start;
  return Object.assign(() => now, {
    set: (ms: number) => {
      now = ms;
    },
  });
}

describe('feed health in Redis (several processes, a fake clock)', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  /** Two processes' views of the same feeds (the API's and the worker's). */
  const processes = (cadences: Record<string, FeedCadence> = {}) => {
    const prefix = randomPrefix('feeds');
    const clock = fakeClock();
    const settings = { clock, cadenceOf: (feed: string) => cadences[feed], watched: Object.keys(cadences) };
    return {
      prefix,
      clock,
      api: new FeedHealth(redis, prefix, settings),
      worker: new FeedHealth(redis, prefix, settings),
    };
  };

  it('counts arrivals from several processes at once, none lost', async () => {
    const { api, worker, clock } = processes();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? api : worker).arrival('ap', i % 10 ? 'accepted' : 'rejected'),
      ),
    );
    const [state] = await worker.states();
    expect(state).toMatchObject({ feed: 'ap', arrivals: 200, firstArrivalAt: T0, lastArrivalAt: T0 });
    expect(state?.days[0]?.hours[9]).toBe(200);
    expect(state?.outcomes).toEqual([{ start: T0, accepted: 180, rejected: 20 }]);
    clock.set(T0 + 5 * MIN);
    await api.arrival('ap', 'accepted');
    const [summary] = await api.summaries();
    expect(summary).toMatchObject({
      feed: 'ap',
      lastArrivalAt: new Date(T0 + 5 * MIN).toISOString(),
      lastArrivalSeconds: (T0 + 5 * MIN) / 1000,
      silent: false,
      recent: { transmissions: 201, rejected: 20 },
    });
  });

  it('a silence fires feed.silent once and feed.recovered once, however many checks run', async () => {
    const { api, worker, clock } = processes({ reuters: { expectedPerHour: 60 } });
    await api.arrival('reuters', 'accepted');
    clock.set(T0 + 5 * MIN);
    expect(await worker.check()).toEqual([]);
    clock.set(T0 + 15 * MIN);
    const [a, b] = await Promise.all([worker.check(), api.check()]); // two checks at once
    expect([...a, ...b].map((e) => [e.type, e.feed])).toEqual([['feed.silent', 'reuters']]);
    expect((await api.summaries())[0]).toMatchObject({ silent: true });
    clock.set(T0 + 30 * MIN);
    expect(await worker.check()).toEqual([]);
    await api.arrival('reuters', 'accepted');
    clock.set(T0 + 31 * MIN);
    const recovered = await worker.check();
    expect(recovered.map((e) => [e.type, e.incident.closedAt])).toEqual([
      ['feed.recovered', new Date(T0 + 30 * MIN).toISOString()],
    ]);
    expect(await worker.check()).toEqual([]);
    const [summary] = await api.summaries();
    expect(summary).toMatchObject({ silent: false, openIncidents: [] });
    expect(summary?.recentIncidents).toHaveLength(1);
  });

  it('a feed with a set cadence is listed before it ever sends', async () => {
    const { api } = processes({ dpa: { expectedPerHour: 10 } });
    expect((await api.summaries()).map((s) => [s.feed, s.silent, s.expectedThisHour])).toEqual([
      ['dpa', false, 10],
    ]);
  });

  it('a stage rejecting what intake accepted moves it to the rejected count: a jump fires feed.rejecting', async () => {
    const { api, worker, clock } = processes();
    for (let i = 0; i < 12; i++) await api.arrival('afp', 'accepted');
    clock.set(T0 + 2 * MIN);
    expect(await worker.check()).toEqual([]);
    for (let i = 0; i < 6; i++) await worker.rejectedLater('afp');
    const events = await worker.check();
    expect(events.map((e) => e.type)).toEqual(['feed.rejecting']);
    expect(events[0]?.incident.reason).toMatch(/^afp: 6 of 12 transmissions rejected/);
  });

  it('drops counters older than the learning and baseline windows at each check', async () => {
    const { prefix, api, worker, clock } = processes();
    await api.arrival('epa', 'accepted');
    clock.set(T0 + (DEFAULT_FEED_HEALTH_OPTIONS.learningDays + 2) * 24 * HOUR);
    await api.arrival('epa', 'accepted');
    await worker.check();
    const fields = await redis.hkeys(feedHealthKeys(prefix).counts('epa'));
    expect(fields.filter((f) => f.startsWith('h:'))).toHaveLength(1);
    expect(fields.filter((f) => f.startsWith('o:'))).toHaveLength(1);
    expect((await worker.states())[0]?.arrivals).toBe(2);
  });
});
