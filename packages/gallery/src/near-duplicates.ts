/** Near-duplicates: bursts of one photographer and the same moment from several agencies. */

/** Bits that differ between two 64-bit hashes (hex). */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) return 64;
  let d = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}

export interface DuplicateCandidate {
  id: string;
  /** Capture instant, ms. */
  at: number;
  phash?: string;
  agency?: string;
  pixels: number;
}

export interface DuplicateOptions {
  /** Frames this close in time can be near-duplicates (default 3 s). */
  windowMs: number;
  /** Perceptual-hash distance at which two frames look alike (of 64 bits; default 12). */
  maxDistance: number;
  /** Agencies in order of preference for the frame shown; others rank after them. */
  preferredAgencies: string[];
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = {
  windowMs: 3000,
  maxDistance: 12,
  preferredAgencies: [],
};

/**
 * Groups near-duplicates (taken within `windowMs` of a member and looking alike) and picks the
 * frame to show: from the most preferred agency, then the largest, then the earliest. Returns the
 * kept id → the other ids of its group, in time order.
 */
export function groupNearDuplicates(
  photos: DuplicateCandidate[],
  options: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS,
): Map<string, string[]> {
  const sorted = [...photos].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const groups: DuplicateCandidate[][] = [];
  for (const p of sorted) {
    const group = p.phash
      ? groups.find((g) =>
          g.some(
            (q) =>
              q.phash &&
              Math.abs(q.at - p.at) <= options.windowMs &&
              hammingDistance(q.phash, p.phash as string) <= options.maxDistance,
          ),
        )
      : undefined;
    if (group) group.push(p);
    else groups.push([p]);
  }
  const rank = (p: DuplicateCandidate) => {
    const i = options.preferredAgencies.findIndex((a) => a.toLowerCase() === p.agency?.toLowerCase());
    return i < 0 ? options.preferredAgencies.length : i;
  };
  const out = new Map<string, string[]>();
  for (const g of groups) {
    const best = [...g].sort(
      (a, b) => rank(a) - rank(b) || b.pixels - a.pixels || a.at - b.at || a.id.localeCompare(b.id),
    )[0] as DuplicateCandidate;
    out.set(
      best.id,
      g.filter((p) => p !== best).map((p) => p.id),
    );
  }
  return out;
}
