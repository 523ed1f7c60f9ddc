import { createHash, timingSafeEqual } from 'node:crypto';
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
  /** Each feed's health (feed-watch summaries, read from Redis). */
  feeds?: () => Promise<FeedHealthSample[]>;
}

/** What `/metrics` shows of one feed. */
export interface FeedHealthSample {
  feed: string;
  /** Unix seconds of its last transmission; absent before the first. */
  lastArrivalSeconds?: number;
  silent: boolean;
  rejecting: boolean;
}

/**
 * Lightbox's Prometheus metrics for one process: queue depths, photos by status, job durations per
 * stage, matcher decisions and S3 requests/errors (`lightbox_` prefix; monotonic counts are Counters
 * named `*_total`), and Node's default process metrics under their standard names
 * (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, …) so stock dashboards work.
 * Every metric is listed in docs/operations.md.
 */
export class LightboxMetrics {
  readonly registry = new Registry();
  readonly jobDuration: Histogram<'stage' | 'outcome'>;
  readonly matchDecisions: Counter<'decision'>;

  constructor(service: string, sources: MetricSources = {}) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
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
    if (sources.feeds) this.feedGauges(sources.feeds);
    if (sources.s3) {
      const read = sources.s3;
      new Counter({
        name: 'lightbox_s3_requests_total',
        help: 'S3 requests sent by this process, by command',
        labelNames: ['command'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [command, n] of Object.entries(read().byCommand)) this.inc({ command }, n);
        },
      });
      new Counter({
        name: 'lightbox_s3_errors_total',
        help: 'Failed S3 requests of this process, by command (a missing key is not an error)',
        labelNames: ['command'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [command, n] of Object.entries(read().errorsByCommand)) this.inc({ command }, n);
        },
      });
    }
  }

  /** `lightbox_feed_*`: each feed's last arrival, and whether a silence or rejection incident is open. */
  private feedGauges(read: () => Promise<FeedHealthSample[]>): void {
    const gauge = (name: string, help: string, value: (f: FeedHealthSample) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['feed'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const f of await read()) {
            const v = value(f);
            if (v !== undefined) this.set({ feed: f.feed }, v);
          }
        },
      });
    gauge(
      'lightbox_feed_last_arrival_timestamp_seconds',
      'Unix time of the last transmission from each feed',
      (f) => f.lastArrivalSeconds,
    );
    gauge(
      'lightbox_feed_silent',
      '1 while a feed is silent past its cadence (an open silence incident)',
      (f) => (f.silent ? 1 : 0),
    );
    gauge('lightbox_feed_rejecting', '1 while a feed’s rejection rate has jumped (an open incident)', (f) =>
      f.rejecting ? 1 : 0,
    );
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

/** Dependency checks behind `/healthz`, by name; each resolves true when its dependency answers. */
export type HealthChecks = Record<string, () => Promise<boolean>>;

/**
 * `/healthz`: every dependency answers (`{ status: 'ok', redis: true, s3: true }`, else 503 and
 * `unavailable`). For readiness; `/livez` (the process is up and serving) is for liveness, so a
 * Redis blip takes pods out of rotation without restarting them.
 */
export async function checkHealth(
  checks: HealthChecks,
): Promise<{ ok: boolean; body: { status: 'ok' | 'unavailable' } & Record<string, boolean | string> }> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map((n) => (checks[n] as () => Promise<boolean>)().catch(() => false)),
  );
  const ok = results.every(Boolean);
  return {
    ok,
    body: {
      status: ok ? 'ok' : 'unavailable',
      ...Object.fromEntries(names.map((n, i) => [n, results[i] === true])),
    },
  };
}

/** `/livez` answers this while the process serves HTTP at all. */
export const LIVE = { status: 'ok' } as const;

/** True when an `Authorization` header carries `Bearer <token>` (compared in constant time). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

export interface MetricsListenerOptions {
  port: number;
  /** Where to listen: `LIGHTBOX_METRICS_HOST`, else `HOST` (loopback by default). */
  host: string;
  /** When set, `/metrics` needs `Authorization: Bearer <token>` (`LIGHTBOX_METRICS_TOKEN`). */
  token?: string;
  /** Dependency checks behind `/healthz`. */
  checks?: HealthChecks;
}

/**
 * A minimal HTTP listener for processes without an HTTP API (workers, ingest): `/metrics` (behind
 * the metrics token when one is set), and `/livez` and `/healthz` (over `checks`) for probes, which
 * never need the token.
 */
export async function serveMetrics(
  metrics: LightboxMetrics,
  { port, host, token, checks = {} }: MetricsListenerOptions,
): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/livez' || path === '/healthz') {
      const { ok, body } = path === '/livez' ? { ok: true, body: LIVE } : await checkHealth(checks);
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' })
        .end('Metrics need Authorization: Bearer <LIGHTBOX_METRICS_TOKEN>\n');
      return;
    }
    try {
      const body = await metrics.text();
      res.writeHead(200, { 'content-type': metrics.contentType }).end(body);
    } catch (err) {
      res.writeHead(500).end(`metrics failed: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
