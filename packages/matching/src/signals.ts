import type { MatchCandidate, MatchDecision, PhotoMetadata } from '@lightbox/contracts';

/** The matcher's settings, weights and thresholds, and what it answers. */

export interface MatchOptions {
  autoThreshold: number;
  reviewThreshold: number;
  /** Hours around the event window in which photos are still considered. */
  slackHours: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  autoThreshold: 0.6,
  reviewThreshold: 0.3,
  slackHours: 6,
};

/** The photo fields the matcher reads. */
export type MatchablePhoto = Pick<
  PhotoMetadata,
  | 'caption'
  | 'headline'
  | 'event'
  | 'objectName'
  | 'keywords'
  | 'city'
  | 'sublocation'
  | 'provinceState'
  | 'country'
  | 'countryCode'
  | 'dateCreated'
  | 'eventIds'
  | 'transmissionReference'
  | 'guid'
>;

/** Weight of each signal in the final score (they sum to 1; normalised over what a story offers). */
export const SIGNAL_WEIGHTS = {
  event: 0.45,
  time: 0.2,
  venue: 0.15,
  place: 0.05,
  keywords: 0.05,
  text: 0.1,
} as const;

/** Event evidence: the name clearly there… */
export const EVENT_EVIDENCE_MIN = 0.6;
/** …or partly there, with the venue or the city agreeing. */
export const EVENT_EVIDENCE_WITH_PLACE = 0.45;
/** Event evidence needed for photos taken before or after the event window (in the slack). */
export const EVENT_EVIDENCE_OUTSIDE = 0.75;
/** A venue counts only when its distinctive words are there, not just the country in its name. */
export const VENUE_MIN = 0.7;
/** Below these, a signal has not "fired": it is not shown, and it cannot make a photo a candidate. */
export const EVENT_SIGNAL_MIN = 0.25;
export const TEXT_SIGNAL_MIN = 0.15;
/** A contradicted place costs this share of the score (contradicted stories rank below agreeing ones). */
export const CONTRADICTED_PLACE_FACTOR = 0.8;
/** Two stories this close at the top need an editor. */
export const AMBIGUITY_MARGIN = 0.05;
/** Stories that share only a place with the photo, scored when none shares a word. */
export const PLACE_ONLY_CANDIDATES = 8;

export interface MatchOutcome {
  decision: MatchDecision;
  storyId: string | null;
  score: number;
  reasons: string[];
  /** Scored stories, best first (top 5), each with its reasons. */
  candidates: MatchCandidate[];
}

export const HOUR = 3600_000;
/** A score as the reasons print it. */
export const pct = (n: number) => n.toFixed(2);
