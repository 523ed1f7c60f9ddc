import type { FeedSummary } from '@lightbox/feed-watch';
import type { FeedHealthView } from './schemas/feeds.js';

/** A feed's summary as the desk shows it (pure). */
export function feedHealthView(s: FeedSummary): FeedHealthView {
  return {
    feed: s.feed,
    lastArrivalAt: s.lastArrivalAt ?? null,
    silent: s.silent,
    rejecting: s.openIncidents.some((i) => i.kind === 'rejections'),
    expectedThisHour: s.expectedThisHour ?? null,
    cadence: s.cadence ?? null,
    recent: s.recent,
    openIncidents: s.openIncidents.map(({ threshold: _t, ...i }) => i),
    recentIncidents: s.recentIncidents.map(({ threshold: _t, ...i }) => i),
  };
}

/** Open incidents first (silences before rejections), then feeds by name. */
export function byConcern(a: FeedHealthView, b: FeedHealthView): number {
  const rank = (f: FeedHealthView) => (f.silent ? 0 : f.rejecting ? 1 : 2);
  return rank(a) - rank(b) || a.feed.localeCompare(b.feed);
}
