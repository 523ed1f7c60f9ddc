import { DAY, type FeedHealthOptions, type FeedState, HOUR } from './state.js';

const dayOf = (ms: number) => Math.floor(ms / DAY);
const hourOf = (ms: number) => Math.floor((ms % DAY) / HOUR);

/** The arrival counted in its UTC day and hour; rows older than the learning window are dropped. */
export function countArrival(state: FeedState, at: number, options: FeedHealthOptions): FeedState['days'] {
  const day = dayOf(at);
  const days = state.days.filter((d) => d.day >= day - options.learningDays).map((d) => ({ ...d }));
  let row = days.find((d) => d.day === day);
  if (!row) {
    row = { day, hours: new Array<number>(24).fill(0) };
    days.push(row);
    days.sort((a, b) => a.day - b.day);
  }
  row.hours = [...row.hours];
  row.hours[hourOf(at)] = (row.hours[hourOf(at)] ?? 0) + 1;
  return days;
}

export type CadenceSource = 'set' | 'learned by hour' | 'learned overall';

export interface Cadence {
  /** Expected arrivals in each UTC hour of the day. */
  perHour: number[];
  source: CadenceSource;
}

/**
 * The feed's expected arrivals per UTC hour at `now`: set by hand; else learned from the complete
 * days in the learning window (a day with no arrivals counts as zero); else, while fewer days are
 * known, the overall rate since the first arrival; undefined while too little is known.
 */
export function cadenceOf(state: FeedState, now: number, options: FeedHealthOptions): Cadence | undefined {
  const set = state.cadence?.expectedPerHour;
  if (set !== undefined)
    return { perHour: typeof set === 'number' ? new Array<number>(24).fill(set) : [...set], source: 'set' };
  if (state.firstArrivalAt === undefined || state.arrivals < options.minArrivalsToLearn) return undefined;
  const today = dayOf(now);
  // Only whole days count: the first (partial) day and today are left out.
  const from = Math.max(dayOf(state.firstArrivalAt) + 1, today - options.learningDays);
  const complete = today - from;
  if (complete >= options.minLearningDays) {
    const perHour = Array.from({ length: 24 }, (_, h) => {
      let sum = 0;
      for (const row of state.days) if (row.day >= from && row.day < today) sum += row.hours[h] ?? 0;
      return sum / complete;
    });
    return { perHour, source: 'learned by hour' };
  }
  const hours = (now - state.firstArrivalAt) / HOUR;
  if (hours < 1) return undefined;
  return { perHour: new Array<number>(24).fill(state.arrivals / hours), source: 'learned overall' };
}

/** Arrivals the cadence expects in [from, to), hour slot by hour slot. */
export function expectedArrivals(cadence: Cadence, from: number, to: number): number {
  let total = 0;
  let t = from;
  while (t < to) {
    const slotEnd = Math.min(to, (Math.floor(t / HOUR) + 1) * HOUR);
    total += (cadence.perHour[hourOf(t)] ?? 0) * ((slotEnd - t) / HOUR);
    t = slotEnd;
  }
  return total;
}
