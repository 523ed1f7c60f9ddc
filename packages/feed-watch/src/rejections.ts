import type { FeedHealthOptions, FeedState } from './state.js';

/** The transmission counted as accepted or rejected in its bucket; buckets older than the baseline are dropped. */
export function countOutcome(
  state: FeedState,
  at: number,
  rejected: boolean,
  options: FeedHealthOptions,
): FeedState['outcomes'] {
  const start = Math.floor(at / options.bucketMs) * options.bucketMs;
  const oldest = at - options.rejectionWindowMs - options.rejectionBaselineMs;
  const outcomes = state.outcomes.filter((b) => b.start + options.bucketMs > oldest).map((b) => ({ ...b }));
  let bucket = outcomes.find((b) => b.start === start);
  if (!bucket) {
    bucket = { start, accepted: 0, rejected: 0 };
    outcomes.push(bucket);
    outcomes.sort((a, b) => a.start - b.start);
  }
  if (rejected) bucket.rejected++;
  else bucket.accepted++;
  return outcomes;
}

export interface RejectionRates {
  recent: { total: number; rejected: number; rate: number };
  baseline: { total: number; rejected: number; rate: number };
  /** The recent rate that counts as a jump. */
  threshold: number;
}

/** Rejection rates of the recent window and of the baseline window before it, at `now`. */
export function rejectionRates(state: FeedState, now: number, options: FeedHealthOptions): RejectionRates {
  const recentFrom = now - options.rejectionWindowMs;
  const baselineFrom = recentFrom - options.rejectionBaselineMs;
  const sum = (from: number, to: number) => {
    let total = 0;
    let rejected = 0;
    for (const b of state.outcomes) {
      if (b.start < from || b.start >= to) continue;
      total += b.accepted + b.rejected;
      rejected += b.rejected;
    }
    return { total, rejected, rate: total === 0 ? 0 : rejected / total };
  };
  const recent = sum(recentFrom, now + 1);
  const baseline = sum(baselineFrom, recentFrom);
  // Without a baseline worth the name, only the absolute minimum applies.
  const knownBaseline = baseline.total >= options.rejectionMinSamples ? baseline.rate : 0;
  const threshold = Math.max(options.rejectionMinRate, knownBaseline * options.rejectionJumpFactor);
  return { recent, baseline, threshold };
}

/** A jump: enough recent transmissions, rejected at or above the threshold. */
export function rejectionsJumped(rates: RejectionRates, options: FeedHealthOptions): boolean {
  return rates.recent.total >= options.rejectionMinSamples && rates.recent.rate >= rates.threshold;
}

/**
 * Recovered (with hysteresis): nothing sent recently, or the recent rate below half the threshold
 * that opened the incident (not today's, which a long incident drags up through the baseline).
 */
export function rejectionsRecovered(rates: RejectionRates, openedThreshold: number): boolean {
  return rates.recent.total === 0 || rates.recent.rate < openedThreshold / 2;
}
