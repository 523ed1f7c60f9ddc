/**
 * Capture-time rules: how a photo's `dateCreated` (IPTC/XMP, as wire services send it) is placed on
 * the timeline. The one home of these rules; search, matching, the match and backfill stages, the
 * reconciler, the desk and galleries all read them from here.
 *
 * - A time with a zone (`Z` or `±hh:mm`) is that instant.
 * - A time without a zone is read as UTC; its true instant may be up to 14 h either side.
 * - A bare date (`YYYY-MM-DD`) is read as noon UTC that day; the day itself may be 12 h either side.
 * - A window looked up around a capture time is widened by those uncertainties.
 */

const HOUR = 3600_000;
const ZONE = /([+-]\d{2}:\d{2}|Z)$/;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How far a zone-less time may be from UTC (UTC−12 … UTC+14). */
export const UNKNOWN_ZONE_MS = 14 * HOUR;
/** How far a bare date's moments may be from its noon. */
export const BARE_DATE_MS = 12 * HOUR;
/** The widest a capture time's uncertainty gets: a bare date in an unknown zone. */
export const MAX_CAPTURE_UNCERTAINTY_MS = UNKNOWN_ZONE_MS + BARE_DATE_MS;

/** True when an ISO date-time carries its zone (`Z` or `±hh:mm`). */
export function hasZone(iso: string): boolean {
  return ZONE.test(iso);
}

/** True for a date without a time (`YYYY-MM-DD`). */
export function isBareDate(value: string): boolean {
  return BARE_DATE.test(value);
}

/** The zone written in an ISO date-time as `±hh:mm` (`Z` as `+00:00`), if any. */
export function zoneOf(iso: string): string | undefined {
  const m = iso.match(ZONE);
  if (!m) return undefined;
  return m[1] === 'Z' ? '+00:00' : m[1];
}

/** A capture time placed on the timeline: the instant read, and how far off it may be. */
export interface CaptureTime {
  /** Epoch ms: the instant, with zone-less times read as UTC and bare dates at noon UTC. */
  at: number;
  /** How far either side the true instant may be, ms (0 for a zoned time). */
  uncertaintyMs: number;
}

/** Places a `dateCreated` on the timeline; undefined when absent or unreadable. */
export function captureTime(dateCreated: string | undefined): CaptureTime | undefined {
  if (!dateCreated) return undefined;
  const zoned = hasZone(dateCreated);
  const bare = !zoned && isBareDate(dateCreated);
  const at = Date.parse(zoned ? dateCreated : bare ? `${dateCreated}T12:00:00Z` : `${dateCreated}Z`);
  if (Number.isNaN(at)) return undefined;
  return { at, uncertaintyMs: (zoned ? 0 : UNKNOWN_ZONE_MS) + (bare ? BARE_DATE_MS : 0) };
}

/** The capture instant (epoch ms) for search, ordering and the awaiting-story index; undefined when unknown. */
export function captureInstant(dateCreated: string | undefined): number | undefined {
  return captureTime(dateCreated)?.at;
}

/** A photo's instant for ordering and filing: its capture instant, else its arrival. */
export function photoInstant(photo: {
  metadata?: { dateCreated?: string } | undefined;
  receivedAt: string;
}): number {
  return captureInstant(photo.metadata?.dateCreated) ?? Date.parse(photo.receivedAt);
}

/**
 * The range (epoch ms) to look for stories in around a capture time: the instant ± `slackMs`,
 * widened by the time's uncertainty (14 h without a zone, 12 h more for a bare date).
 */
export function captureRange(dateCreated: string | undefined, slackMs: number): [number, number] | undefined {
  const t = captureTime(dateCreated);
  if (!t) return undefined;
  const widen = slackMs + t.uncertaintyMs;
  return [t.at - widen, t.at + widen];
}

/**
 * The capture instants (as `captureInstant` files them) of photos that may belong to an event
 * window: the window ± `slackMs`, widened by the largest uncertainty, so a zone-less time or bare
 * date filed at its UTC reading is never missed.
 */
export function eventSearchRange(startIso: string, endIso: string, slackMs: number): [number, number] {
  const margin = slackMs + MAX_CAPTURE_UNCERTAINTY_MS;
  return [Date.parse(startIso) - margin, Date.parse(endIso) + margin];
}

/** A capture time read against one story: the instant, or the whole day for a bare date. */
export interface CaptureSpan {
  /** Epoch ms of the instant (or of the day's start for a bare date). */
  startMs: number;
  /** End of the span: equal to start for a time, +24 h for a bare date. */
  endMs: number;
  /** How the time was read when it lacked a zone, for the match's reasons. */
  note?: string;
}

/**
 * A capture time read in a story's zone (`assumeZone`, `±hh:mm`), for scoring a photo against that
 * story: a zoned time is its instant; a zone-less time is read in the story's zone, never the
 * server's; a bare date is that whole day in the story's zone. The note says which assumption was made.
 */
export function captureSpanIn(dateCreated: string | undefined, assumeZone: string): CaptureSpan | undefined {
  if (!dateCreated) return undefined;
  if (isBareDate(dateCreated)) {
    const startMs = Date.parse(`${dateCreated}T00:00:00${assumeZone}`);
    if (Number.isNaN(startMs)) return undefined;
    return {
      startMs,
      endMs: startMs + 24 * HOUR,
      note: `photo has a date but no time; read as the whole day ${dateCreated} in the story's zone (${assumeZone})`,
    };
  }
  const zoned = hasZone(dateCreated);
  const ms = Date.parse(zoned ? dateCreated : `${dateCreated}${assumeZone}`);
  if (Number.isNaN(ms)) return undefined;
  if (zoned) return { startMs: ms, endMs: ms };
  return { startMs: ms, endMs: ms, note: `photo time has no zone; assumed the story's zone (${assumeZone})` };
}
