import { eventSearchRange, type JobPayloads } from '@lightbox/contracts';
import { priorityOptions, type StageJobContext } from '@lightbox/queue';
import type { Needs } from '../deps.js';

export const BACKFILL_NEEDS = ['stories', 'photos', 'work', 'log', 'matchOptions'] as const;
export const CLOSE_NEEDS = ['desk', 'log'] as const;
export const ARCHIVE_NEEDS = [
  'reconciler',
  'reconcileGraceMs',
  'undecidedArchive',
  'undecidedRetentionMs',
  'desk',
  'archive',
  'log',
] as const;

/**
 * backfill: a story was added or edited, so photos waiting in its window (unmatched or in review,
 * never editors' decisions) are matched again. Photos often arrive before their story exists. The
 * re-matches are bulk work: they wait behind live photos' matches.
 */
export class BackfillStage {
  constructor(private readonly deps: Needs<typeof BACKFILL_NEEDS>) {}

  async handle({ storyId }: JobPayloads['backfill']): Promise<void> {
    const { stories, photos, work, log } = this.deps;
    const story = await stories.get(storyId);
    if (!story) return; // nothing to do for a story that is gone
    // Photos are filed by capture instant; the range allows for times without a zone or a time.
    const [from, to] = eventSearchRange(
      story.event.start,
      story.event.end,
      this.deps.matchOptions.slackHours * 3600_000,
    );
    const ids = await photos.awaitingStoryBetween(from, to);
    const generation = await stories.generation();
    // One re-match per photo per story change, however often backfill retries.
    await work.advanceAll('backfill', ids, `rematch-${generation}`, priorityOptions('bulk'));
    log.info({ storyId, photos: ids.length }, 'backfill: waiting photos queued for re-matching');
  }
}

/** close: a story's end + grace has passed; it closes unless edited since (the job is then stale). */
export class CloseStage {
  constructor(private readonly deps: Needs<typeof CLOSE_NEEDS>) {}

  async handle({ storyId }: JobPayloads['close']): Promise<void> {
    if (await this.deps.desk.closeIfDue(storyId))
      this.deps.log.info({ storyId }, 'story closed automatically: its gallery is final');
  }
}

/**
 * archive: a story closed `LIGHTBOX_ARCHIVE_AFTER_HOURS` ago; its state moves to S3 and leaves
 * Redis (StoryArchive), unless it was reopened or edited since (the job is then stale).
 */
export class ArchiveStage {
  constructor(private readonly deps: Needs<typeof ARCHIVE_NEEDS>) {}

  async handle(payload: JobPayloads['archive'], context: Pick<StageJobContext, 'delayUntil'>): Promise<void> {
    if ('sweep' in payload && payload.sweep === 'reconcile') {
      // Recent days, every few minutes and after a failover; every acceptance after a loss.
      const report = await this.deps.reconciler.run({
        graceMs: this.deps.reconcileGraceMs,
        ...(payload.everything ? {} : { days: 1 }),
      });
      // Another reconcile holds the lock: run again once it is done, so nothing it missed stays.
      if (!report.ran) return context.delayUntil(Date.now() + 15_000);
      const changed =
        report.storiesAdopted.length +
        report.galleryIndexEntries +
        report.snapshotsImported +
        report.earlierReleaseSnapshots +
        report.failures.length +
        Object.values(report.replayed).reduce((a, b) => a + b, 0) +
        Object.values(report.requeued).reduce((a, b) => a + (b ?? 0), 0);
      this.deps.log[report.failures.length > 0 ? 'warn' : changed > 0 ? 'info' : 'debug'](
        { ...report, everything: payload.everything === true },
        'reconcile: Redis compared with object storage',
      );
      return;
    }
    if ('sweep' in payload) {
      // Hourly: photos no story claimed, older than LIGHTBOX_UNDECIDED_RETENTION_DAYS, go to S3.
      if (this.deps.undecidedRetentionMs <= 0) return;
      const { photos, keys } = await this.deps.undecidedArchive.sweep(this.deps.undecidedRetentionMs);
      if (photos > 0)
        this.deps.log.info({ photos, keys }, 'undecided photos archived to S3 and evicted from Redis');
      return;
    }
    const { storyId } = payload;
    if (!(await this.deps.desk.archiveIsDue(storyId))) return;
    const ref = await this.deps.archive.archive(storyId);
    this.deps.log.info(
      { storyId, key: ref.key, photos: ref.photos },
      'story archived to S3 and evicted from Redis',
    );
  }
}
