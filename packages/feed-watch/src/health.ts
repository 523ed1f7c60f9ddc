import { type Cadence, type CadenceSource, cadenceOf, countArrival, expectedArrivals } from './cadence.js';
import { countOutcome, rejectionRates, rejectionsJumped, rejectionsRecovered } from './rejections.js';
import {
  DEFAULT_FEED_HEALTH_OPTIONS,
  type FeedHealthEvent,
  type FeedHealthOptions,
  type FeedIncident,
  type FeedState,
  type IncidentKind,
  iso,
} from './state.js';

export interface FeedUpdate {
  state: FeedState;
  /** Incidents opened or closed by this update: each fires once. */
  events: FeedHealthEvent[];
}

const openIncident = (state: FeedState, kind: IncidentKind) =>
  state.incidents.find((i) => i.kind === kind && !i.closedAt);

function open(
  state: FeedState,
  kind: IncidentKind,
  now: number,
  reason: string,
  options: FeedHealthOptions,
  threshold?: number,
): FeedUpdate {
  const incident: FeedIncident = {
    id: `${state.feed}:${kind}:${now}`,
    feed: state.feed,
    kind,
    openedAt: iso(now),
    reason,
    ...(threshold !== undefined ? { threshold } : {}),
  };
  return {
    state: { ...state, incidents: keep([incident, ...state.incidents], options) },
    events: [
      {
        type: kind === 'silence' ? 'feed.silent' : 'feed.rejecting',
        feed: state.feed,
        at: iso(now),
        incident,
      },
    ],
  };
}

function close(state: FeedState, kind: IncidentKind, now: number, options: FeedHealthOptions): FeedUpdate {
  const current = openIncident(state, kind);
  if (!current) return { state, events: [] };
  const closed: FeedIncident = { ...current, closedAt: iso(now) };
  return {
    state: {
      ...state,
      incidents: keep(
        state.incidents.map((i) => (i === current ? closed : i)),
        options,
      ),
    },
    events: [{ type: 'feed.recovered', feed: state.feed, at: iso(now), incident: closed }],
  };
}

/** Open incidents first, then the latest closed ones, at most `keepClosedIncidents` of them. */
function keep(incidents: FeedIncident[], options: FeedHealthOptions): FeedIncident[] {
  const opened = incidents.filter((i) => !i.closedAt);
  const closed = incidents
    .filter((i) => i.closedAt)
    .sort((a, b) => (b.closedAt as string).localeCompare(a.closedAt as string))
    .slice(0, options.keepClosedIncidents);
  return [...opened, ...closed];
}

function chain(first: FeedUpdate, next: (state: FeedState) => FeedUpdate): FeedUpdate {
  const second = next(first.state);
  return { state: second.state, events: [...first.events, ...second.events] };
}

/**
 * A transmission arrived at `at` (accepted, or rejected as bad input). It ends a silence at once;
 * the rejection rate is judged again.
 */
export function recordArrival(
  state: FeedState,
  at: number,
  outcome: 'accepted' | 'rejected',
  options: FeedHealthOptions = DEFAULT_FEED_HEALTH_OPTIONS,
): FeedUpdate {
  const next: FeedState = {
    ...state,
    firstArrivalAt: state.firstArrivalAt ?? at,
    lastArrivalAt: Math.max(state.lastArrivalAt ?? at, at),
    arrivals: state.arrivals + 1,
    days: countArrival(state, at, options),
    outcomes: countOutcome(state, at, outcome === 'rejected', options),
  };
  return chain(close(next, 'silence', at, options), (s) => checkRejections(s, at, options));
}

export interface Silence {
  silent: boolean;
  /** Arrivals the cadence expected since the last one (undefined while the cadence is unknown). */
  expected?: number;
  cadence?: CadenceSource;
  reason?: string;
}

/** Whether the feed is silent at `now`: no arrival although several were expected since the last one. */
export function silenceAt(
  state: FeedState,
  now: number,
  options: FeedHealthOptions = DEFAULT_FEED_HEALTH_OPTIONS,
): Silence {
  const last = state.lastArrivalAt;
  const cadence: Cadence | undefined = cadenceOf(state, now, options);
  if (last === undefined || !cadence) return { silent: false, cadence: cadence?.source };
  const expected = expectedArrivals(cadence, last, now);
  const silent = now - last >= options.minSilenceMs && expected >= options.silenceExpectedArrivals;
  const minutes = Math.round((now - last) / 60_000);
  return {
    silent,
    expected,
    cadence: cadence.source,
    reason: silent
      ? `${state.feed}: no arrival for ${minutes} min (last ${iso(last)}); about ${Math.round(expected)} were expected (cadence ${cadence.source})`
      : undefined,
  };
}

function checkRejections(state: FeedState, now: number, options: FeedHealthOptions): FeedUpdate {
  const rates = rejectionRates(state, now, options);
  const current = openIncident(state, 'rejections');
  if (current) {
    return rejectionsRecovered(rates, current.threshold ?? rates.threshold)
      ? close(state, 'rejections', now, options)
      : { state, events: [] };
  }
  if (!rejectionsJumped(rates, options)) return { state, events: [] };
  const pct = (r: number) => `${Math.round(r * 100)} %`;
  return open(
    state,
    'rejections',
    now,
    `${state.feed}: ${rates.recent.rejected} of ${rates.recent.total} transmissions rejected in the last ${Math.round(options.rejectionWindowMs / 60_000)} min (${pct(rates.recent.rate)}; before: ${pct(rates.baseline.rate)})`,
    options,
    rates.threshold,
  );
}

/**
 * Judges the feed at `now` (call it on a timer): opens a silence incident when the feed went
 * silent, closes one when a transmission arrived since it opened, and opens or closes a rejection
 * incident. Each incident fires one event when it opens
 * and one when it closes, however often this runs.
 */
export function checkFeed(
  state: FeedState,
  now: number,
  options: FeedHealthOptions = DEFAULT_FEED_HEALTH_OPTIONS,
): FeedUpdate {
  const silent = openIncident(state, 'silence');
  // An arrival counted without `recordArrival` (stored counters, another process) ends the silence
  // as of that arrival.
  const last = state.lastArrivalAt;
  if (silent && last !== undefined && last > Date.parse(silent.openedAt))
    return chain(close(state, 'silence', last, options), (s) => checkFeed(s, now, options));
  const silence = silenceAt(state, now, options);
  const first: FeedUpdate =
    silence.silent && !silent
      ? open(state, 'silence', now, silence.reason as string, options)
      : { state, events: [] };
  return chain(first, (s) => checkRejections(s, now, options));
}

/** One feed as the feeds page and `/metrics` show it. */
export interface FeedSummary {
  feed: string;
  lastArrivalAt?: string;
  /** For `lightbox_feed_last_arrival_timestamp_seconds{feed}`. */
  lastArrivalSeconds?: number;
  /** For `lightbox_feed_silent{feed}`: true while a silence incident is open. */
  silent: boolean;
  /** What the cadence expects in the current UTC hour (undefined while unknown). */
  expectedThisHour?: number;
  cadence?: CadenceSource;
  /** Transmissions over the recent window (the rejection window, an hour by default). */
  recent: { windowMinutes: number; transmissions: number; rejected: number; rejectionRate: number };
  openIncidents: FeedIncident[];
  recentIncidents: FeedIncident[];
}

export function feedSummary(
  state: FeedState,
  now: number,
  options: FeedHealthOptions = DEFAULT_FEED_HEALTH_OPTIONS,
): FeedSummary {
  const { recent } = rejectionRates(state, now, options);
  const cadence = cadenceOf(state, now, options);
  return {
    feed: state.feed,
    ...(state.lastArrivalAt !== undefined
      ? {
          lastArrivalAt: iso(state.lastArrivalAt),
          lastArrivalSeconds: Math.floor(state.lastArrivalAt / 1000),
        }
      : {}),
    silent: openIncident(state, 'silence') !== undefined,
    expectedThisHour: cadence ? cadence.perHour[new Date(now).getUTCHours()] : undefined,
    cadence: cadence?.source,
    recent: {
      windowMinutes: Math.round(options.rejectionWindowMs / 60_000),
      transmissions: recent.total,
      rejected: recent.rejected,
      rejectionRate: recent.rate,
    },
    openIncidents: state.incidents.filter((i) => !i.closedAt),
    recentIncidents: state.incidents.filter((i) => i.closedAt),
  };
}
