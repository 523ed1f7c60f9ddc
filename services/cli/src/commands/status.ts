import type { QueueCounts } from '@lightbox/queue';
import type { LightboxApiClient, PipelineRates } from '../api-client.js';

/** Photos per minute over the last `minutes` closed minutes (the running minute is partial). */
export function ratePerMinute(
  perMinute: PipelineRates['perMinute'],
  kind: 'received' | 'published' | 'failed',
  minutes: number,
): number {
  const closed = perMinute.slice(0, -1).slice(-minutes);
  if (closed.length === 0) return 0;
  return closed.reduce((sum, m) => sum + m[kind], 0) / closed.length;
}

/** The `lightbox status` screen: queues per stage, then flow rates and latency. */
export function formatStatus(queues: QueueCounts[], rates: PipelineRates): string[] {
  const lines = ['stage     waiting  active  delayed  failed  completed  paused'];
  for (const q of queues) {
    lines.push(
      `${q.name.padEnd(9)} ${String(q.waiting).padStart(7)} ${String(q.active).padStart(7)} ${String(q.delayed).padStart(8)} ${String(q.failed).padStart(7)} ${String(q.completed).padStart(10)}  ${q.paused ? 'yes' : 'no'}`,
    );
  }
  const fmt = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));
  lines.push('');
  lines.push('photos/min   last 1   last 5   last 15');
  for (const kind of ['received', 'published', 'failed'] as const) {
    lines.push(
      `${kind.padEnd(10)} ${[1, 5, 15].map((m) => fmt(ratePerMinute(rates.perMinute, kind, m)).padStart(8)).join(' ')}`,
    );
  }
  const ms = (v: number | null) => (v === null ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);
  const { latency } = rates;
  lines.push(
    `arrival → published (15 min, ${latency.samples} photos): p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)} (embargo and editor waits excluded)`,
  );
  if (latency.withWaits)
    lines.push(
      `  with embargo and editor waits:  p50 ${ms(latency.withWaits.p50)}, p95 ${ms(latency.withWaits.p95)}`,
    );
  const backlog = queues.reduce((sum, q) => sum + q.waiting + q.active, 0);
  if (backlog > 0) lines.push(`backlog: ${backlog} jobs waiting or running`);
  return lines;
}

export async function printStatus(client: LightboxApiClient, say: (line: string) => void): Promise<void> {
  const [{ body: queues }, { body: rates }] = await Promise.all([client.queues(), client.stats()]);
  for (const line of formatStatus(queues, rates)) say(line);
}
