import {
  checkFeed,
  DEFAULT_FEED_HEALTH_OPTIONS,
  type FeedCadence,
  type FeedHealthEvent,
  type FeedHealthOptions,
  type FeedIncident,
  type FeedState,
  type FeedSummary,
  feedSummary,
} from '@lightbox/feed-watch';
import type { Redis } from 'ioredis';
import { countFields, countsFromHash, expiredFields } from './counts.js';
import { type FeedHealthKeys, feedHealthKeys } from './keys.js';

/** The time as epoch ms; tests pass a fake one. */
export type Clock = () => number;

export interface FeedHealthSettings {
  clock?: Clock;
  options?: FeedHealthOptions;
  /** Cadences set by hand (the rules file's `cadence`, `feedCadences`), by feed. */
  cadenceOf?: (feed: string) => FeedCadence | undefined;
  /** Feeds watched before their first arrival (those the rules file gives a cadence). */
  watched?: string[];
}

/** A feed's incidents as stored (`version` is the stored format's). */
interface StoredIncidents {
  version: 1;
  incidents: FeedIncident[];
}

/** One arrival: counters bumped in one step, first/last kept as min/max, the feed listed. */
const ARRIVAL = `
redis.call('HINCRBY', KEYS[1], 'arrivals', 1)
local at = tonumber(ARGV[2])
local first = tonumber(redis.call('HGET', KEYS[1], 'first'))
if not first or at < first then redis.call('HSET', KEYS[1], 'first', ARGV[2]) end
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if not last or at > last then redis.call('HSET', KEYS[1], 'last', ARGV[2]) end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
redis.call('HINCRBY', KEYS[1], ARGV[4], 1)
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** Writes a feed's incidents only if they are still what the check read. */
const SWAP = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

/**
 * Each feed's health in Redis. Intake (API and ingest) and the stages that reject bad input count
 * arrivals and rejections as atomic counter bumps, from any number of processes (`arrival`,
 * `rejectedLater`); the check (a repeating job on the worker) rebuilds each feed's feed-watch state
 * from the counters, judges it (`checkFeed`) and stores its incidents by compare-and-set, so an
 * incident's events are returned once however many checks run. `/metrics`, the dashboard and the
 * API read `summaries`.
 */
export class FeedHealth {
  private readonly keys: FeedHealthKeys;
  private readonly clock: Clock;
  private readonly options: FeedHealthOptions;
  private readonly cadenceOf: (feed: string) => FeedCadence | undefined;
  private readonly watched: string[];

  constructor(
    private readonly redis: Redis,
    prefix: string,
    settings: FeedHealthSettings = {},
  ) {
    this.keys = feedHealthKeys(prefix);
    this.clock = settings.clock ?? Date.now;
    this.options = settings.options ?? DEFAULT_FEED_HEALTH_OPTIONS;
    this.cadenceOf = settings.cadenceOf ?? (() => undefined);
    this.watched = settings.watched ?? [];
  }

  /** A transmission from `feed` arrived now: accepted, or rejected as bad input. */
  async arrival(feed: string, outcome: 'accepted' | 'rejected'): Promise<void> {
    const at = this.clock();
    await this.redis.eval(
      ARRIVAL,
      2,
      this.keys.counts(feed),
      this.keys.feeds,
      feed,
      String(at),
      countFields.hour(at),
      countFields.outcome(at, outcome === 'rejected', this.options),
    );
  }

  /**
   * A transmission counted as accepted turned out to be bad input (a stage rejected it, seconds
   * after it arrived): counted as rejected instead, in the bucket of now.
   */
  async rejectedLater(feed: string): Promise<void> {
    const at = this.clock();
    const key = this.keys.counts(feed);
    await this.redis
      .multi()
      .hincrby(key, countFields.outcome(at, false, this.options), -1)
      .hincrby(key, countFields.outcome(at, true, this.options), 1)
      .exec();
  }

  /** Every feed heard from or given a cadence, as feed-watch states at `now`, with what was read. */
  private async read(now: number) {
    const heard = await this.redis.smembers(this.keys.feeds);
    const feeds = [...new Set([...heard, ...this.watched])].sort();
    const pipeline = this.redis.pipeline();
    for (const feed of feeds) pipeline.hgetall(this.keys.counts(feed)).get(this.keys.incidents(feed));
    const replies = (await pipeline.exec()) ?? [];
    return feeds.map((feed, i) => {
      const [countsErr, hash] = replies[2 * i] ?? [];
      const [incidentsErr, stored] = replies[2 * i + 1] ?? [];
      if (countsErr || incidentsErr) throw countsErr ?? incidentsErr;
      const raw = (stored as string | null) ?? '';
      const cadence = this.cadenceOf(feed);
      const state: FeedState = {
        version: 1,
        feed,
        ...countsFromHash((hash ?? {}) as Record<string, string>, now, this.options),
        incidents: raw ? (JSON.parse(raw) as StoredIncidents).incidents : [],
        ...(cadence ? { cadence } : {}),
      };
      return { state, raw, fields: Object.keys((hash ?? {}) as Record<string, string>) };
    });
  }

  async states(now = this.clock()): Promise<FeedState[]> {
    return (await this.read(now)).map((r) => r.state);
  }

  async summaries(now = this.clock()): Promise<FeedSummary[]> {
    return (await this.read(now)).map((r) => feedSummary(r.state, now, this.options));
  }

  /**
   * Judges every feed now and stores what changed; returns the incidents opened or closed by this
   * check. A feed another check judged meanwhile is left to it (its events are that check's).
   */
  async check(now = this.clock()): Promise<FeedHealthEvent[]> {
    const events: FeedHealthEvent[] = [];
    for (const { state, raw, fields } of await this.read(now)) {
      const stale = expiredFields(fields, now, this.options);
      if (stale.length > 0) await this.redis.hdel(this.keys.counts(state.feed), ...stale);
      const update = checkFeed(state, now, this.options);
      if (update.events.length === 0) continue;
      const stored: StoredIncidents = { version: 1, incidents: update.state.incidents };
      const swapped = await this.redis.eval(
        SWAP,
        1,
        this.keys.incidents(state.feed),
        raw,
        JSON.stringify(stored),
      );
      if (swapped === 1) events.push(...update.events);
    }
    return events;
  }
}
