import type { StatsSnapshot } from '@lightbox/activity';
import { STAGES } from '@lightbox/contracts';
import type { FeedSummary } from '@lightbox/feed-watch';
import type { DashboardDeps } from './deps.js';
import { healthProblems, type StageCard } from './health.js';

export interface Overview {
  at: string;
  stages: StageCard[];
  redis: boolean;
  s3: boolean;
  problems: string[];
  stats: StatsSnapshot | null;
  photos: Record<string, number>;
}

async function ok(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch {
    return false;
  }
}

/**
 * Everything the overview shows, from a bounded number of Redis reads (per stage: counts, workers,
 * one metrics range; plus two stats reads) — independent of how many photos exist.
 */
export async function loadOverview(deps: DashboardDeps): Promise<Overview> {
  const [redisUp, s3Up] = await Promise.all([ok(deps.redis.ping()), deps.store.ping().catch(() => false)]);
  let stages: StageCard[] = [];
  let stats: StatsSnapshot | null = null;
  let photos: Record<string, number> = {};
  let feeds: FeedSummary[] = [];
  if (redisUp) {
    const counts = await deps.queues.counts();
    stages = await Promise.all(
      counts.map(async (c) => {
        const q = deps.queues.queue(c.name);
        const [workers, metrics] = await Promise.all([
          q.getWorkersCount().catch(() => 0),
          q.getMetrics('completed', 0, 58).catch(() => undefined),
        ]);
        // BullMQ closes a data point each minute; the running minute is count − prevCount.
        const closed = (metrics?.data ?? []).reduce((a: number, b) => a + (Number(b) || 0), 0);
        const running = Math.max(0, Number(metrics?.meta.count ?? 0) - Number(metrics?.meta.prevCount ?? 0));
        const completedLastHour = closed + running;
        return { ...c, workers, completedLastHour };
      }),
    );
    [stats, photos, feeds] = await Promise.all([
      deps.stats.snapshot(),
      deps.photos.countByStatus([
        'review',
        'unmatched',
        'rejected',
        'published',
        'received',
        'embargoed',
        'held',
      ]),
      deps.feedHealth.summaries(),
    ]);
  } else {
    stages = STAGES.map((name) => ({
      name,
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      completedLastHour: 0,
      paused: false,
      workers: 0,
    }));
  }
  return {
    at: new Date().toISOString(),
    stages,
    redis: redisUp,
    s3: s3Up === true,
    problems: healthProblems({
      stages,
      redis: redisUp,
      s3: s3Up === true,
      perMinute: stats?.perMinute ?? [],
      feeds,
    }),
    stats,
    photos,
  };
}

/**
 * The overview, computed at most once per `maxAgeMs` however many pages and live streams ask for
 * it (concurrent callers share one load).
 */
export class SharedOverview {
  private latest?: { at: number; value: Promise<Overview> };

  constructor(
    private readonly deps: DashboardDeps,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<Overview> {
    const now = this.now();
    if (!this.latest || now - this.latest.at >= this.maxAgeMs) {
      const value = loadOverview(this.deps);
      this.latest = { at: now, value };
      // A failed load is not kept: the next caller tries again.
      value.catch(() => {
        if (this.latest?.value === value) this.latest = undefined;
      });
    }
    return this.latest.value;
  }
}
