/** What happened to a photo (or a job), as shown on the dashboard's live feed. */
export const ACTIVITY_KINDS = [
  'received',
  'rejected',
  'matched',
  'review',
  'unmatched',
  'published',
  'killed',
  'expired',
  'failed',
  'gallery',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface ActivityEvent {
  kind: ActivityKind;
  at: string;
  photoId?: string;
  feed?: string;
  caption?: string;
  credit?: string;
  /** URL of the smallest rendition. */
  thumbnail?: string;
  storyId?: string;
  storySlug?: string;
  score?: number;
  /** Why: a rejection reason, a failure message, the matcher's first reason. */
  reason?: string;
  stage?: string;
  jobId?: string;
  /** Arrival → published, for `published`. */
  latencyMs?: number;
  /** The part of `latencyMs` spent embargoed or waiting for an editor (held, review), for `published`. */
  waitedMs?: number;
  /** The manifest version written, for `gallery`. */
  version?: number;
}

/** Trims free text for the feed (captions can be long). */
export function clip(text: string | undefined, max = 280): string | undefined {
  if (!text) return undefined;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
