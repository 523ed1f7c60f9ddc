import type { PhotoStatus } from '@lightbox/contracts';

/**
 * Statuses in which a photo waits for something other than the pipeline: its embargo's time, or
 * an editor (held, in review, set aside). Time spent in them is not pipeline latency.
 */
export const PAUSED_STATUSES: ReadonlySet<PhotoStatus> = new Set([
  'embargoed',
  'held',
  'review',
  'unmatched',
]);

/** What a photo record keeps of its waits. */
export interface WaitClock {
  /** When the photo began its current wait (ISO); absent while it is not waiting. */
  waitingSince?: string;
  /** Time spent waiting in earlier waits, ms. */
  waitedMs?: number;
}

/** The wait fields that change with a status change; `null` removes `waitingSince`. */
export interface WaitPatch {
  waitingSince?: string | null;
  waitedMs?: number;
}

/**
 * The wait fields a status change writes (pure): entering a paused status starts the clock, leaving
 * one adds the time since to `waitedMs`; moving between two paused statuses, or two working ones,
 * changes nothing. `from` is the record as it was (undefined for a new photo), `at` the change's time.
 * A record that began waiting before this was kept (no `waitingSince`) adds nothing.
 */
export function waitPatch(
  from: ({ status: PhotoStatus } & WaitClock) | undefined,
  to: PhotoStatus,
  at: string,
): WaitPatch {
  const was = from !== undefined && PAUSED_STATUSES.has(from.status);
  const is = PAUSED_STATUSES.has(to);
  if (was === is) return {};
  if (is) return { waitingSince: at };
  const since = from?.waitingSince ? Date.parse(from.waitingSince) : Number.NaN;
  const waited = Number.isNaN(since) ? 0 : Math.max(0, Date.parse(at) - since);
  return { waitingSince: null, waitedMs: (from?.waitedMs ?? 0) + waited };
}

/** Arrival → published of a photo: the whole time, and the pipeline's share (its waits left out). */
export function publishLatency(
  photo: { receivedAt: string } & WaitClock,
  now: number,
): { latencyMs: number; waitedMs: number } {
  const latencyMs = Math.max(0, now - Date.parse(photo.receivedAt));
  const current = photo.waitingSince ? Math.max(0, now - Date.parse(photo.waitingSince)) : 0;
  return { latencyMs, waitedMs: Math.min(latencyMs, (photo.waitedMs ?? 0) + current) };
}
