import { createServer, type Server } from 'node:http';
import { PHOTO_STATUSES } from '@lightbox/contracts';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What a collector reads at scrape time (each a cheap, bounded Redis read). */
export interface MetricSources {
  /** Per-stage queue counts. */
  queueCounts?: () => Promise<
    { name: string; waiting: number; active: number; delayed: number; failed: number }[]
  >;
  /** Photos per status. */
  photosByStatus?: () => Promise<Record<string, number>>;
  /** S3 request and error counts of this process. */
  s3?: () => {
    total: number;
    errors: number;
    byCommand: Record<string, number>;
    errorsByCommand: Record<string, number>;
  };
  deadLetters?: () => Promise<number>;
}

/**
 * Lightbox's Prometheus metrics for one process: process stats, queue depths, photos by status,
 * job durations per stage, matcher decisions and S3 requests/errors. `lightbox_` prefix.
 */
export class LightboxMetrics {
  readonly registry = new Registry();
  readonly jobDuration: Histogram<'stage' | 'outcome'>;
  readonly matchDecisions: Counter<'decision'>;

  constructor(service: string, sources: MetricSources = {}) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'lightbox_' });
    this.jobDuration = new Histogram({
      name: 'lightbox_job_duration_seconds',
      help: 'Time a job spent running, by stage and outcome',
      labelNames: ['stage', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.matchDecisions = new Counter({
      name: 'lightbox_match_decisions_total',
      help: 'Matcher decisions, by decision',
      labelNames: ['decision'],
      registers: [this.registry],
    });
    for (const d of ['matched', 'review', 'unmatched']) this.matchDecisions.inc({ decision: d }, 0);
    if (sources.queueCounts) {
      const read = sources.queueCounts;
      new Gauge({
        name: 'lightbox_queue_jobs',
        help: 'Jobs per stage queue and state',
        labelNames: ['stage', 'state'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const q of await read())
            for (const state of ['waiting', 'active', 'delayed', 'failed'] as const)
              this.set({ stage: q.name, state }, q[state]);
        },
      });
    }
    if (sources.photosByStatus) {
      const read = sources.photosByStatus;
      new Gauge({
        name: 'lightbox_photos',
        help: 'Photos by status',
        labelNames: ['status'],
        registers: [this.registry],
        async collect() {
          const counts = await read();
          for (const s of PHOTO_STATUSES) this.set({ status: s }, counts[s] ?? 0);
        },
      });
    }
    if (sources.deadLetters) {
      const read = sources.deadLetters;
      new Gauge({
        name: 'lightbox_dead_letters',
        help: 'Jobs that failed for good and wait for an editor',
        registers: [this.registry],
        async collect() {
          this.set(await read());
        },
      });
    }
    if (sources.s3) {
      const read = sources.s3;
      new Gauge({
        name: 'lightbox_s3_requests',
        help: 'S3 requests sent by this process, by command (monotonic)',
        labelNames: ['command'],
        registers: [this.registry],
        collect() {
          for (const [command, n] of Object.entries(read().byCommand)) this.set({ command }, n);
        },
      });
      new Gauge({
        name: 'lightbox_s3_errors',
        help: 'Failed S3 requests of this process, by command (monotonic; a missing key is not an error)',
        labelNames: ['command'],
        registers: [this.registry],
        collect() {
          const stats = read();
          this.set({ command: 'all' }, stats.errors);
          for (const [command, n] of Object.entries(stats.errorsByCommand)) this.set({ command }, n);
        },
      });
    }
  }

  /** Records a finished job. */
  observeJob(stage: string, seconds: number, outcome: 'completed' | 'failed'): void {
    this.jobDuration.observe({ stage, outcome }, seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** A minimal HTTP listener serving `/metrics` (for worker and ingest processes). */
export async function serveMetrics(
  metrics: LightboxMetrics,
  port: number,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await metrics.text();
      res.writeHead(200, { 'content-type': metrics.contentType }).end(body);
    } catch (err) {
      res.writeHead(500).end(`metrics failed: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
