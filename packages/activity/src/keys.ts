export function activityKeys(prefix: string) {
  const p = `${prefix}:activity`;
  return {
    channel: `${p}:events`,
    recent: `${p}:recent`,
    counter: (kind: 'received' | 'published' | 'failed', minute: number) => `${p}:count:${kind}:${minute}`,
    latency: `${p}:latency`,
  };
}
export type ActivityKeys = ReturnType<typeof activityKeys>;

export const minuteOf = (ms: number) => Math.floor(ms / 60_000);
