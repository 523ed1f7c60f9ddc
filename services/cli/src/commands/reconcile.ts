import { ConfigError, type LightboxConfig, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { openReconciler, type ReconcileReport } from '@lightbox/recovery';

/** The report in a few lines. */
export function formatReconcileReport(r: ReconcileReport): string[] {
  const count = (o: Record<string, number | undefined>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    `stories put back: ${r.storiesAdopted.length}${r.storyConflicts.length ? ` (${r.storyConflicts.length} refused: slug taken)` : ''}; gallery index entries: ${r.galleryIndexEntries}; story copies written: ${r.storyCopiesWritten}`,
    `acceptances scanned: ${r.acceptancesScanned}; replayed: ${count(r.replayed)}; snapshots: ${r.snapshotsImported}`,
    `jobs queued again: ${count(r.requeued)}; publishes scheduled: ${r.publishesScheduled}`,
    ...r.failures.slice(0, 20).map((f) => `not replayed: ${f.key}: ${f.error}`),
    `done in ${(r.ms / 1000).toFixed(1)} s`,
  ];
}

/** `lightbox reconcile`: waits for a reconcile already running, then runs one. Exit code. */
export async function runReconcile(
  config: LightboxConfig,
  options: { everything: boolean; graceMs: number; say: (line: string) => void; waitMs?: number },
): Promise<number> {
  if (!Number.isFinite(options.graceMs) || options.graceMs < 0) {
    options.say('--grace-seconds must be a number ≥ 0');
    return 2;
  }
  let connected: ReturnType<typeof requireConnections>;
  try {
    connected = requireConnections(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    options.say(
      `${err.message}.\nlightbox reconcile talks to Redis and object storage directly. A Lightbox started with \`lightbox start\` reconciles by itself: at start, every LIGHTBOX_RECONCILE_INTERVAL_S and when Redis loses its data.`,
    );
    return 2;
  }
  const { reconciler, close } = await openReconciler(
    connected,
    createLogger({ name: 'reconcile', level: 'warn' }),
  );
  try {
    const deadline = Date.now() + (options.waitMs ?? 600_000);
    for (let waited = false; ; waited = true) {
      const report = await reconciler.run({
        graceMs: options.graceMs,
        ...(options.everything ? {} : { days: 1 }),
      });
      if (report.ran) {
        for (const line of formatReconcileReport(report)) options.say(line);
        return report.failures.length > 0 ? 1 : 0;
      }
      if (Date.now() > deadline) {
        options.say('Another reconcile is still running; try again later.');
        return 1;
      }
      if (!waited) options.say('Another reconcile is running; waiting for it to finish …');
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await close();
  }
}
