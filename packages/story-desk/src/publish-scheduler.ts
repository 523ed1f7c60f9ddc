import type { StoryCatalog } from '@lightbox/catalog';
import type { PipelineQueues } from '@lightbox/queue';

export interface PublishTiming {
  /** Wait before the first publish after a quiet spell, so a burst gathers into one write. */
  delayMs: number;
  /** Least time between two publishes of one story. */
  spacingMs: number;
  /**
   * Feeds and the gallery index follow manifests at most this often (0: with every publish); a
   * take-down has them written at once (`schedule(…, { now: true })`).
   */
  refreshMs?: number;
}

/** `now`: a take-down waits on this run; whatever changed is written at once, feeds and index too. */
export interface PublishRequest {
  now?: boolean;
}

/**
 * Schedules a story's publish job. One job per story at a time (BullMQ deduplication by story id):
 * while one waits, further requests add nothing, since the manifest is rebuilt from state when
 * it runs; while one runs, exactly one follow-up is kept (`keepLastIfActive`). The follow-up waits
 * until `spacingMs` after the previous publish started, so a burst of N photos costs about one
 * write per `spacingMs` however large N is, and the last write holds them all.
 */
export class PublishScheduler {
  constructor(
    private readonly queues: PipelineQueues,
    private readonly stories: StoryCatalog,
    readonly timing: PublishTiming,
  ) {}

  async schedule(storyId: string, request: PublishRequest = {}): Promise<void> {
    if (request.now) await this.stories.writes.requestNow(storyId);
    const last = await this.stories.lastPublishingAt(storyId);
    const sinceLast = last === undefined ? Number.POSITIVE_INFINITY : Date.now() - last;
    const delay = Math.max(this.timing.delayMs, this.timing.spacingMs - sinceLast);
    await this.queues.add(
      'publish',
      { storyId },
      { delay, deduplication: { id: storyId, keepLastIfActive: true } },
    );
  }

  /** Rewrites the gallery index and the all-galleries feeds soon (coalesced the same way). */
  async scheduleIndex(request: PublishRequest = {}): Promise<void> {
    if (request.now) await this.stories.writes.requestNow('index');
    await this.queues.add(
      'index',
      {},
      // One index write per publish spacing at most, however many galleries changed meanwhile:
      // the index says which galleries exist, each gallery's own manifest carries its news.
      {
        delay: Math.max(this.timing.delayMs, this.timing.spacingMs),
        deduplication: { id: 'index', keepLastIfActive: true },
      },
    );
  }
}
