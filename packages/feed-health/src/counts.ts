import { DAY, type FeedHealthOptions, type FeedState, HOUR } from '@lightbox/feed-watch';

/**
 * A feed's arrivals as one Redis hash of counters, which any process bumps atomically
 * (`HINCRBY`): `arrivals`, `first` and `last` (epoch ms), `h:<UTC day>:<hour>` arrivals per hour,
 * `o:<bucket start>:a` / `o:<bucket start>:r` accepted and rejected per outcome bucket. These
 * helpers turn it into the counts of a feed-watch `FeedState` and back (pure).
 */
export const countFields = {
  hour: (at: number) => `h:${Math.floor(at / DAY)}:${Math.floor((at % DAY) / HOUR)}`,
  outcome: (at: number, rejected: boolean, options: FeedHealthOptions) =>
    `o:${Math.floor(at / options.bucketMs) * options.bucketMs}:${rejected ? 'r' : 'a'}`,
};

/** The oldest day and bucket start still kept at `now`. */
function horizon(now: number, options: FeedHealthOptions) {
  return {
    day: Math.floor(now / DAY) - options.learningDays,
    bucket: now - options.rejectionWindowMs - options.rejectionBaselineMs - options.bucketMs,
  };
}

export type StateCounts = Pick<
  FeedState,
  'firstArrivalAt' | 'lastArrivalAt' | 'arrivals' | 'days' | 'outcomes'
>;

/** The counts of a feed's state, from its hash; fields past the learning and baseline windows left out. */
export function countsFromHash(
  hash: Record<string, string>,
  now: number,
  options: FeedHealthOptions,
): StateCounts {
  const oldest = horizon(now, options);
  const days = new Map<number, number[]>();
  const outcomes = new Map<number, { start: number; accepted: number; rejected: number }>();
  for (const [field, raw] of Object.entries(hash)) {
    const value = Number(raw);
    const [kind, a, b] = field.split(':');
    if (kind === 'h') {
      const day = Number(a);
      if (day < oldest.day) continue;
      const hours = days.get(day) ?? new Array<number>(24).fill(0);
      hours[Number(b)] = value;
      days.set(day, hours);
    } else if (kind === 'o') {
      const start = Number(a);
      if (start < oldest.bucket) continue;
      const bucket = outcomes.get(start) ?? { start, accepted: 0, rejected: 0 };
      if (b === 'r') bucket.rejected = value;
      else bucket.accepted = value;
      outcomes.set(start, bucket);
    }
  }
  return {
    ...(hash.first ? { firstArrivalAt: Number(hash.first) } : {}),
    ...(hash.last ? { lastArrivalAt: Number(hash.last) } : {}),
    arrivals: Number(hash.arrivals ?? 0),
    days: [...days].map(([day, hours]) => ({ day, hours })).sort((x, y) => x.day - y.day),
    outcomes: [...outcomes.values()].sort((x, y) => x.start - y.start),
  };
}

/** The hash fields past the learning and baseline windows at `now` (the check deletes them). */
export function expiredFields(fields: string[], now: number, options: FeedHealthOptions): string[] {
  const oldest = horizon(now, options);
  return fields.filter((field) => {
    const [kind, a] = field.split(':');
    return (kind === 'h' && Number(a) < oldest.day) || (kind === 'o' && Number(a) < oldest.bucket);
  });
}
