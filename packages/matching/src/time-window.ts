/** Photo times against story windows, keeping each photo's own UTC offset. */

export interface PhotoTime {
  /** Epoch ms of the instant (or of the day's start for date-only values). */
  startMs: number;
  /** End of the instant range: equal to start for a timestamp, +24 h for a date-only value. */
  endMs: number;
  /** How the instant was found, for reasons. */
  note?: string;
}

const OFFSET = /([+-]\d{2}:\d{2}|Z)$/;

/** The `±hh:mm` offset written in an ISO date-time, if any. */
export function offsetOf(iso: string): string | undefined {
  const m = iso.match(OFFSET);
  if (!m) return undefined;
  return m[1] === 'Z' ? '+00:00' : m[1];
}

/**
 * Resolves a photo's `dateCreated` to an instant. Values without a zone are read in the story's
 * zone (`assumeOffset`), and the note says so; they are never read in the server's zone.
 */
export function resolvePhotoTime(
  dateCreated: string | undefined,
  assumeOffset: string,
): PhotoTime | undefined {
  if (!dateCreated) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateCreated)) {
    const startMs = Date.parse(`${dateCreated}T00:00:00${assumeOffset}`);
    if (Number.isNaN(startMs)) return undefined;
    return {
      startMs,
      endMs: startMs + 24 * 3600_000,
      note: `photo has a date but no time; read as the whole day ${dateCreated} in the story's zone (${assumeOffset})`,
    };
  }
  if (offsetOf(dateCreated)) {
    const ms = Date.parse(dateCreated);
    return Number.isNaN(ms) ? undefined : { startMs: ms, endMs: ms };
  }
  const ms = Date.parse(`${dateCreated}${assumeOffset}`);
  if (Number.isNaN(ms)) return undefined;
  return {
    startMs: ms,
    endMs: ms,
    note: `photo time has no zone; assumed the story's zone (${assumeOffset})`,
  };
}

export interface WindowFit {
  /** 1 inside the event, falling to 0.3 at the edge of the slack; undefined when outside. */
  score: number;
  inside: boolean;
  /** Distance outside the event window, ms (0 when inside). */
  distanceMs: number;
}

export function fitWindow(
  time: PhotoTime,
  startMs: number,
  endMs: number,
  slackMs: number,
): WindowFit | undefined {
  if (time.endMs >= startMs && time.startMs <= endMs) return { score: 1, inside: true, distanceMs: 0 };
  const distanceMs = time.startMs > endMs ? time.startMs - endMs : startMs - time.endMs;
  if (distanceMs > slackMs) return undefined;
  return { score: 1 - 0.7 * (distanceMs / slackMs), inside: false, distanceMs };
}
