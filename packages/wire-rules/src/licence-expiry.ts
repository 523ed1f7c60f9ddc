/**
 * Licence expiry. Wire pictures may be used for a limited time: the agency's own expiry (IIM 2:37/2:38
 * Expiration Date/Time, NewsML-G2 `expires` or rights `validto`) and the newsroom's per-feed rule
 * (`expireAfterDays` after arrival, for unpublished pictures or for all). The earliest wins. An
 * expired picture leaves galleries and storage like a kill.
 */
export type ExpirySource = 'iim' | 'newsml' | 'feed';

/** A feed's own rule: pictures expire this many days after they arrived. */
export interface FeedExpiryRule {
  expireAfterDays: number;
  /** `unpublished`: only pictures never published expire (desk clean-up); `all`: every picture. */
  applies: 'unpublished' | 'all';
}

export interface LicenceExpiryInput {
  /** When the picture arrived (ISO). */
  receivedAt: string;
  /** Whether the picture has been published (the `unpublished` feed rule then no longer applies). */
  published: boolean;
  /** The sender's expiry, per source, as read (`PhotoMetadata.expirationDate`). */
  agency?: Partial<Record<Exclude<ExpirySource, 'feed'>, string | undefined>>;
  feedRule?: FeedExpiryRule;
}

export interface LicenceExpiry {
  /** The instant the licence runs out (ISO, UTC). */
  at: string;
  source: ExpirySource;
  /** For the audit trail and editors, e.g. "agency expiry (IIM 2:37/2:38) 2024-09-30T16:00:00.000Z". */
  reason: string;
}

/** "Now", injected so that rules and sweeps are tested with a fake clock. */
export type Clock = () => Date;

const DAY_MS = 24 * 3600_000;
/** The earliest offset in use (Kiribati): a time without a zone is read as early as it could be. */
const EARLIEST_OFFSET = '+14:00';

/**
 * The instant an agency expiry means. A date alone ("2024-09-30", "20240930") allows use through
 * that day: it ends at the next midnight. A time without a UTC offset is read in the earliest zone
 * (UTC+14), so Lightbox never keeps a picture longer than the sender could have meant.
 * Undefined when the value is not a date.
 */
export function expiryInstant(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const m = text.match(
    /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i,
  );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m as unknown as (string | undefined)[];
  if (h === undefined) {
    const ms = Date.parse(`${y}-${mo}-${d}T00:00:00${EARLIEST_OFFSET}`);
    return Number.isNaN(ms) ? undefined : ms + DAY_MS;
  }
  const offset = !zone
    ? EARLIEST_OFFSET
    : zone.toUpperCase() === 'Z'
      ? 'Z'
      : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const SOURCE_NAMES: Record<ExpirySource, string> = {
  iim: 'agency expiry (IIM 2:37/2:38)',
  newsml: 'agency expiry (NewsML-G2)',
  feed: 'feed rule',
};

/** When the picture's licence runs out, from every source; the earliest wins. Undefined when never. */
export function licenceExpiry(input: LicenceExpiryInput): LicenceExpiry | undefined {
  const candidates: { ms: number; source: ExpirySource; detail: string }[] = [];
  for (const source of ['iim', 'newsml'] as const) {
    const value = input.agency?.[source];
    const ms = expiryInstant(value);
    if (ms !== undefined) candidates.push({ ms, source, detail: `${SOURCE_NAMES[source]} ${value}` });
  }
  const rule = input.feedRule;
  const received = Date.parse(input.receivedAt);
  if (rule && rule.expireAfterDays > 0 && !Number.isNaN(received)) {
    if (rule.applies === 'all' || !input.published)
      candidates.push({
        ms: received + rule.expireAfterDays * DAY_MS,
        source: 'feed',
        detail: `${SOURCE_NAMES.feed}: ${rule.expireAfterDays} days after arrival${rule.applies === 'unpublished' ? ' unless published' : ''}`,
      });
  }
  const first = candidates.sort((a, b) => a.ms - b.ms)[0];
  if (!first) return undefined;
  const at = new Date(first.ms).toISOString();
  return { at, source: first.source, reason: `${first.detail} (expires ${at})` };
}

/** The expiry when it has passed by `clock()`, else undefined. */
export function expiredLicence(input: LicenceExpiryInput, clock: Clock): LicenceExpiry | undefined {
  const expiry = licenceExpiry(input);
  return expiry && Date.parse(expiry.at) <= clock().getTime() ? expiry : undefined;
}

/** What a photo record's licence expiry is computed from (`Photo` fields). */
export interface PhotoLicenceRecord {
  receivedAt: string;
  /** Set once a gallery showed the photo: the feed's `unpublished` rule no longer applies. */
  publishedAt?: string;
  licence?: {
    iim?: string;
    newsml?: string;
    feedRule?: FeedExpiryRule;
  };
}

/**
 * A photo's licence expiry, from its record: the sender's expiry of the current version and the
 * feed's rule when it arrived, counted from its first arrival. The lifecycle keeps `expiresAt`
 * equal to this; the manifest and the expiry sweep read it.
 */
export function photoLicenceExpiry(photo: PhotoLicenceRecord): LicenceExpiry | undefined {
  const l = photo.licence;
  if (!l) return undefined;
  return licenceExpiry({
    receivedAt: photo.receivedAt,
    published: photo.publishedAt !== undefined,
    agency: { iim: l.iim, newsml: l.newsml },
    feedRule: l.feedRule,
  });
}
