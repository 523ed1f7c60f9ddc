/** A photo's capture time against a story's window (the reading itself: `captureSpanIn`, contracts). */
import type { CaptureSpan } from '@lightbox/contracts';

export interface WindowFit {
  /** 1 inside the event, falling to 0.3 at the edge of the slack; undefined when outside. */
  score: number;
  inside: boolean;
  /** Distance outside the event window, ms (0 when inside). */
  distanceMs: number;
}

export function fitWindow(
  time: CaptureSpan,
  startMs: number,
  endMs: number,
  slackMs: number,
): WindowFit | undefined {
  if (time.endMs >= startMs && time.startMs <= endMs) return { score: 1, inside: true, distanceMs: 0 };
  const distanceMs = time.startMs > endMs ? time.startMs - endMs : startMs - time.endMs;
  if (distanceMs > slackMs) return undefined;
  return { score: 1 - 0.7 * (distanceMs / slackMs), inside: false, distanceMs };
}
