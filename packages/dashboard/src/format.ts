import type { PhotoStatus } from '@lightbox/contracts';

/** Status shown as a badge with text (never colour alone). */
export const STATUS_LABELS: Record<PhotoStatus, string> = {
  received: 'Received',
  embargoed: 'Embargoed',
  held: 'Held for an editor',
  unmatched: 'Unmatched',
  review: 'Needs review',
  matched: 'Matched',
  published: 'Published',
  rejected: 'Rejected',
  killed: 'Killed',
  expired: 'Expired',
};

/** Badge text for the live feed's events (photo statuses plus the feed's own kinds); sent to the browser. */
export const EVENT_LABELS: Record<string, string> = {
  ...STATUS_LABELS,
  failed: 'Failed',
  gallery: 'Gallery',
};

export function timeAgo(iso: string | number | undefined, now = Date.now()): string {
  if (iso === undefined) return '—';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const s = Math.round((now - ms) / 1000);
  if (s < 0) {
    // A time to come (an embargo): "in 12 min".
    const ahead = -s;
    if (ahead < 60) return `in ${ahead} s`;
    if (ahead < 3600) return `in ${Math.round(ahead / 60)} min`;
    if (ahead < 86_400) return `in ${Math.round(ahead / 3600)} h`;
    return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  }
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export const pct = (score: number | undefined) => (score === undefined ? '—' : `${Math.round(score * 100)}%`);
