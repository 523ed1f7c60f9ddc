import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LightboxMetrics, serveMetrics } from '../src/index.js';

/** Every source, so every metric family is registered. */
const everySource = () =>
  new LightboxMetrics('api', {
    queueCounts: async () => [],
    photosByStatus: async () => ({}),
    deadLetters: async () => 0,
    s3: () => ({ total: 0, errors: 0, byCommand: {}, errorsByCommand: {} }),
    feeds: async () => [],
  });

/** Value of one sample line, e.g. `lightbox_photos{service="api",status="published"} 3`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('LightboxMetrics', () => {
  it('exposes each feed’s last arrival and whether it is silent or rejecting (feed health)', async () => {
    let silent = true;
    const metrics = new LightboxMetrics('api', {
      feeds: async () => [
        { feed: 'ap', lastArrivalSeconds: 1736154000, silent, rejecting: false },
        { feed: 'dpa', silent: false, rejecting: true },
      ],
    });
    let text = await metrics.text();
    expect(sample(text, 'lightbox_feed_last_arrival_timestamp_seconds', { feed: 'ap' })).toBe(1736154000);
    expect(sample(text, 'lightbox_feed_last_arrival_timestamp_seconds', { feed: 'dpa' })).toBeUndefined();
    expect(sample(text, 'lightbox_feed_silent', { feed: 'ap' })).toBe(1);
    expect(sample(text, 'lightbox_feed_silent', { feed: 'dpa' })).toBe(0);
    expect(sample(text, 'lightbox_feed_rejecting', { feed: 'dpa' })).toBe(1);
    silent = false;
    text = await metrics.text();
    expect(sample(text, 'lightbox_feed_silent', { feed: 'ap' })).toBe(0);
  });

  it('reads every source at scrape time and labels samples with the service', async () => {
    let published = 1;
    const metrics = new LightboxMetrics('api', {
      queueCounts: async () => [
        { name: 'render', waiting: 4, active: 2, delayed: 0, failed: 1 },
        { name: 'match', waiting: 0, active: 0, delayed: 3, failed: 0 },
      ],
      photosByStatus: async () => ({ published, review: 2 }),
      deadLetters: async () => 5,
      s3: () => ({
        total: 9,
        errors: 1,
        byCommand: { PutObject: 6, GetObject: 3 },
        errorsByCommand: { PutObject: 1 },
      }),
    });
    let text = await metrics.text();
    expect(sample(text, 'lightbox_queue_jobs', { stage: 'render', state: 'waiting' })).toBe(4);
    expect(sample(text, 'lightbox_queue_jobs', { stage: 'render', state: 'failed' })).toBe(1);
    expect(sample(text, 'lightbox_queue_jobs', { stage: 'match', state: 'delayed' })).toBe(3);
    expect(sample(text, 'lightbox_photos', { status: 'published', service: 'api' })).toBe(1);
    // Statuses the source does not mention are reported as 0, not left out.
    expect(sample(text, 'lightbox_photos', { status: 'unmatched' })).toBe(0);
    expect(sample(text, 'lightbox_dead_letters', { service: 'api' })).toBe(5);
    expect(sample(text, 'lightbox_s3_requests_total', { command: 'PutObject' })).toBe(6);
    expect(sample(text, 'lightbox_s3_errors_total', { command: 'PutObject' })).toBe(1);
    expect(sample(text, 'lightbox_s3_errors_total', { command: 'GetObject' })).toBeUndefined();

    published = 7;
    text = await metrics.text();
    expect(sample(text, 'lightbox_photos', { status: 'published' })).toBe(7);
  });

  it('drops queues that disappear between scrapes', async () => {
    let queues = [{ name: 'render', waiting: 1, active: 0, delayed: 0, failed: 0 }];
    const metrics = new LightboxMetrics('worker', { queueCounts: async () => queues });
    expect(sample(await metrics.text(), 'lightbox_queue_jobs', { stage: 'render' })).toBe(1);
    queues = [{ name: 'match', waiting: 2, active: 0, delayed: 0, failed: 0 }];
    const text = await metrics.text();
    expect(sample(text, 'lightbox_queue_jobs', { stage: 'render' })).toBeUndefined();
    expect(sample(text, 'lightbox_queue_jobs', { stage: 'match', state: 'waiting' })).toBe(2);
  });

  it('counts job durations per stage and outcome, and match decisions from zero', async () => {
    const metrics = new LightboxMetrics('worker');
    let text = await metrics.text();
    expect(sample(text, 'lightbox_match_decisions_total', { decision: 'review' })).toBe(0);
    metrics.observeJob('render', 0.3, 'completed');
    metrics.observeJob('render', 2.5, 'completed');
    metrics.observeJob('render', 0.02, 'failed');
    metrics.matchDecisions.inc({ decision: 'matched' });
    text = await metrics.text();
    const completed = { stage: 'render', outcome: 'completed' };
    expect(sample(text, 'lightbox_job_duration_seconds_count', completed)).toBe(2);
    expect(sample(text, 'lightbox_job_duration_seconds_bucket', { ...completed, le: '0.5' })).toBe(1);
    expect(sample(text, 'lightbox_job_duration_seconds_bucket', { ...completed, le: '5' })).toBe(2);
    expect(sample(text, 'lightbox_job_duration_seconds_count', { stage: 'render', outcome: 'failed' })).toBe(
      1,
    );
    expect(sample(text, 'lightbox_match_decisions_total', { decision: 'matched' })).toBe(1);
  });

  it('follows Prometheus naming: counters end in _total, nothing else does; process metrics keep their standard names', async () => {
    const families = await everySource().registry.getMetricsAsJSON();
    for (const { name, type } of families) {
      if (String(type) === 'counter') expect(name, name).toMatch(/_total$/);
      // prom-client's own nodejs_active_resources_total is a gauge: its standard name stays.
      else if (name.startsWith('lightbox_')) expect(name, name).not.toMatch(/_total$/);
      expect(name, name).toMatch(/^(lightbox|process|nodejs)_[a-z0-9_]+$/);
    }
    const names = families.map((f) => f.name);
    for (const standard of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(names).toContain(standard);
  });

  it('documents every metric it exports in docs/operations.md', async () => {
    const doc = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    const lightbox = (await everySource().registry.getMetricsAsJSON())
      .map((f) => f.name)
      .filter((n) => n.startsWith('lightbox_'));
    expect(lightbox.length).toBeGreaterThanOrEqual(7);
    for (const name of lightbox) expect(doc, `${name} in docs/operations.md`).toContain(`\`${name}\``);
    // Node's defaults are documented as a family, with the standard prefixes.
    expect(doc).toContain('`process_*`');
    expect(doc).toContain('`nodejs_*`');
  });

  it('keeps two instances in one process apart (own registry each)', async () => {
    const a = new LightboxMetrics('api');
    const b = new LightboxMetrics('worker');
    a.observeJob('publish', 1, 'completed');
    expect(await b.text()).not.toContain('stage="publish"');
  });
});

describe('serveMetrics', () => {
  it('serves the exposition format on /metrics, 404 elsewhere, and 500 when a source fails', async () => {
    let fail = false;
    const metrics = new LightboxMetrics('ingest', {
      deadLetters: async () => {
        if (fail) throw new Error('redis down');
        return 0;
      },
    });
    const server = await serveMetrics(metrics, { port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ok = await fetch(`${base}/metrics`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('text/plain');
      expect(await ok.text()).toContain('lightbox_dead_letters{service="ingest"} 0');
      expect((await fetch(`${base}/other`)).status).toBe(404);
      // Probes: /livez while the process serves, /healthz only without checks failing.
      expect(await (await fetch(`${base}/livez`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      fail = true;
      const broken = await fetch(`${base}/metrics`);
      expect(broken.status).toBe(500);
      expect(await broken.text()).toContain('redis down');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('probe endpoints of the metrics listener', () => {
  it('/healthz answers 503 naming the dependency that is down; /livez stays 200', async () => {
    let s3Up = true;
    const server = await serveMetrics(new LightboxMetrics('worker'), {
      port: 0,
      host: '127.0.0.1',
      checks: {
        redis: async () => true,
        s3: async () => {
          if (!s3Up) throw new Error('connection refused');
          return true;
        },
      },
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const up = await fetch(`${base}/healthz`);
      expect(up.status).toBe(200);
      expect(await up.json()).toEqual({ status: 'ok', redis: true, s3: true });
      s3Up = false;
      const down = await fetch(`${base}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', redis: true, s3: false });
      expect((await fetch(`${base}/livez?probe=k8s`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('serveMetrics access (issue 12, finding 4)', () => {
  it('listens where it is told, never on every interface by default', async () => {
    const server = await serveMetrics(new LightboxMetrics('worker'), { port: 0, host: '127.0.0.1' });
    try {
      expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('needs the bearer token when one is set', async () => {
    const server = await serveMetrics(new LightboxMetrics('worker'), {
      port: 0,
      host: '127.0.0.1',
      token: 'metrics-secret',
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Basic metrics-secret' } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: 'Bearer metrics-secret' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('lightbox_');
      // Probes never need the token.
      expect((await fetch(url.replace('/metrics', '/livez'))).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
