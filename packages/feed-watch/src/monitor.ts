import { checkFeed, type FeedSummary, feedSummary, recordArrival } from './health.js';
import {
  DEFAULT_FEED_HEALTH_OPTIONS,
  type FeedCadence,
  type FeedHealthEvent,
  type FeedHealthOptions,
  type FeedState,
  newFeedState,
} from './state.js';

/** The time, as epoch ms. Tests pass a fake one. */
export type Clock = () => number;

/**
 * The health of every feed, in memory: arrivals in, incidents out. No I/O: the caller stores the
 * states (`states()`, `load()`) and sends the events (webhooks, dashboard, metrics).
 */
export class FeedMonitor {
  private readonly feeds = new Map<string, FeedState>();

  constructor(
    private readonly clock: Clock,
    private readonly options: FeedHealthOptions = DEFAULT_FEED_HEALTH_OPTIONS,
    /** Cadences set by hand, by feed name. */
    private readonly cadences: Record<string, FeedCadence> = {},
  ) {}

  private state(feed: string): FeedState {
    let state = this.feeds.get(feed);
    if (!state) {
      state = newFeedState(feed, this.cadences[feed]);
      this.feeds.set(feed, state);
    }
    return state;
  }

  /** A transmission from `feed` arrived now. */
  arrival(feed: string, outcome: 'accepted' | 'rejected' = 'accepted'): FeedHealthEvent[] {
    const { state, events } = recordArrival(this.state(feed), this.clock(), outcome, this.options);
    this.feeds.set(feed, state);
    return events;
  }

  /** Judges every known feed now; returns the incidents opened or closed. */
  check(): FeedHealthEvent[] {
    const now = this.clock();
    const events: FeedHealthEvent[] = [];
    for (const [feed, current] of this.feeds) {
      const update = checkFeed(current, now, this.options);
      this.feeds.set(feed, update.state);
      events.push(...update.events);
    }
    return events;
  }

  summaries(): FeedSummary[] {
    const now = this.clock();
    return [...this.feeds.values()]
      .map((s) => feedSummary(s, now, this.options))
      .sort((a, b) => a.feed.localeCompare(b.feed));
  }

  /** Feeds set by hand are known (and watched) before their first arrival. */
  watch(feed: string): void {
    this.state(feed);
  }

  states(): FeedState[] {
    return [...this.feeds.values()];
  }

  /** Restores stored states. The cadence set by hand is the configuration's: a stored one is replaced or dropped. */
  load(states: FeedState[]): void {
    for (const s of states) {
      if (s.version !== 1)
        throw new Error(`feed ${s.feed}: unknown feed-watch state version ${String(s.version)}`);
      const cadence = this.cadences[s.feed];
      const { cadence: _stored, ...rest } = s;
      this.feeds.set(s.feed, cadence ? { ...rest, cadence } : rest);
    }
  }
}
