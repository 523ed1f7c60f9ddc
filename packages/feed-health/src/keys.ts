/** Redis keys of feed health. All share the configured prefix (hash-tag it for Cluster). */
export function feedHealthKeys(prefix: string) {
  const p = `${prefix}:feed-health`;
  return {
    /** Every feed heard from. */
    feeds: `${p}:feeds`,
    /** One hash per feed: arrival counters (see `counts.ts`). */
    counts: (feed: string) => `${p}:counts:${feed}`,
    /** One string per feed: its incidents (`StoredIncidents`), written by the check alone, by compare-and-set. */
    incidents: (feed: string) => `${p}:incidents:${feed}`,
  };
}
export type FeedHealthKeys = ReturnType<typeof feedHealthKeys>;
