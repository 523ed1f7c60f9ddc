import { z } from 'zod';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/**
 * A feed's expected cadence, set by hand: arrivals per hour, either one figure for every hour or
 * one per UTC hour of the day (24 figures). Without it the cadence is learned from arrivals.
 */
export const feedCadenceSchema = z
  .object({
    expectedPerHour: z.union([
      z.number().min(0).max(100_000),
      z.array(z.number().min(0).max(100_000)).length(24, 'give one figure per UTC hour: 24 of them'),
    ]),
  })
  .strict();
export type FeedCadence = z.infer<typeof feedCadenceSchema>;

export interface FeedHealthOptions {
  /** Days of arrivals the learned cadence averages over. */
  learningDays: number;
  /** Complete days observed before the per-hour cadence is trusted (before: the overall rate). */
  minLearningDays: number;
  /** Arrivals needed before even the overall rate is trusted. */
  minArrivalsToLearn: number;
  /**
   * A feed is silent once this many arrivals were expected since its last one and none came
   * (3 expected and none: about a 5 % chance for a feed working normally).
   */
  silenceExpectedArrivals: number;
  /** Never silent sooner than this after the last arrival. */
  minSilenceMs: number;
  /** Width of the buckets counting accepted and rejected transmissions. */
  bucketMs: number;
  /** The recent window whose rejection rate is watched… */
  rejectionWindowMs: number;
  /** …against the rate over this longer window before it. */
  rejectionBaselineMs: number;
  /** Transmissions in the recent window before its rate means anything. */
  rejectionMinSamples: number;
  /** A jump: the recent rate at least this many times the baseline… */
  rejectionJumpFactor: number;
  /** …and at least this rate. */
  rejectionMinRate: number;
  /** Closed incidents kept per feed (for the feeds page). */
  keepClosedIncidents: number;
}

export const DEFAULT_FEED_HEALTH_OPTIONS: FeedHealthOptions = {
  learningDays: 14,
  minLearningDays: 2,
  minArrivalsToLearn: 20,
  silenceExpectedArrivals: 3,
  minSilenceMs: 10 * 60_000,
  bucketMs: 5 * 60_000,
  rejectionWindowMs: HOUR,
  rejectionBaselineMs: DAY,
  rejectionMinSamples: 10,
  rejectionJumpFactor: 3,
  rejectionMinRate: 0.2,
  keepClosedIncidents: 20,
};

export type IncidentKind = 'silence' | 'rejections';

/** A silence or a rejection-rate jump, from when it was noticed until the feed recovered. */
export interface FeedIncident {
  /** Stable: `<feed>:<kind>:<opened at, epoch ms>` (webhook jobs can be deduplicated on it). */
  id: string;
  feed: string;
  kind: IncidentKind;
  /** ISO times. */
  openedAt: string;
  closedAt?: string;
  reason: string;
  /** Rejections: the rate that counted as a jump when it opened (recovery is judged against it). */
  threshold?: number;
}

export type FeedHealthEventType = 'feed.silent' | 'feed.rejecting' | 'feed.recovered';

/** Fired once per incident when it opens, and once when it closes. */
export interface FeedHealthEvent {
  type: FeedHealthEventType;
  feed: string;
  at: string;
  incident: FeedIncident;
}

/**
 * What Lightbox remembers about one feed's arrivals: small and serialisable (phase B keeps it in
 * Redis). `version` is the stored format's version.
 */
export interface FeedState {
  version: 1;
  feed: string;
  /** Epoch ms. */
  firstArrivalAt?: number;
  lastArrivalAt?: number;
  arrivals: number;
  /** Arrivals per UTC hour, one row per UTC day (epoch day), the last `learningDays` + today. */
  days: { day: number; hours: number[] }[];
  /** Accepted and rejected transmissions per bucket, over the rejection baseline. */
  outcomes: { start: number; accepted: number; rejected: number }[];
  /** Open incidents first, then the latest closed ones. */
  incidents: FeedIncident[];
  /** Set by hand; overrides the learned cadence. */
  cadence?: FeedCadence;
}

export function newFeedState(feed: string, cadence?: FeedCadence): FeedState {
  return {
    version: 1,
    feed,
    arrivals: 0,
    days: [],
    outcomes: [],
    incidents: [],
    ...(cadence ? { cadence } : {}),
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();
