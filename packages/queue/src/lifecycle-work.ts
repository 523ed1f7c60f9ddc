import { type IntakePriority, type JobPayloads, nextStages, type StageName } from '@lightbox/contracts';
import type { LifecycleEffect } from '@lightbox/lifecycle';
import type { JobsOptions } from 'bullmq';
import { jobIdFor, type PipelineQueues } from './pipeline-queues.js';
import { priorityOptions } from './stage-options.js';

/**
 * The photo a lifecycle change was made to: its id, current version and revision after the change,
 * and its priority (bulk work waits behind live work at every stage).
 */
export interface ChangedPhoto {
  photoId: string;
  version: number;
  rev?: number;
  priority?: IntakePriority;
}

/** The stages whose jobs carry one photo id: a photo's steps through the pipeline. */
type PhotoStage = { [S in StageName]: JobPayloads[S] extends { photoId: string } ? S : never }[StageName];
const PHOTO_STEPS: readonly StageName[] = ['ingest', 'render', 'match'] satisfies PhotoStage[];
const isPhotoStep = (stage: StageName): stage is 'ingest' | 'render' | 'match' => PHOTO_STEPS.includes(stage);

/**
 * Queues a photo's next work: what a lifecycle change sets off (`run`), and the step that follows
 * a stage's in the pipeline table (`advance`, contracts' `PIPELINE`). Job ids are deterministic, so
 * doing the same thing twice (a retried job, a resent transmission) queues nothing new: per version
 * and revision for the steps a change sets off (a resumed photo renders again), per job for the step
 * after a job, per time for an embargo's timer. A job's options are its stage's defaults from the
 * table plus the job's own (`photoJobOptions`): a photo's steps carry its priority; take-downs and
 * timers never wait behind anything.
 */
export class LifecycleWork {
  constructor(
    private readonly queues: PipelineQueues,
    /** Schedules a story's publish (coalesced); required where changes may republish a gallery. */
    private readonly publish?: (storyId: string) => Promise<void>,
  ) {}

  async run(photo: ChangedPhoto, effects: readonly LifecycleEffect[]): Promise<void> {
    const { photoId, version } = photo;
    const v = `v${version}`;
    const r = `r${photo.rev ?? 0}`;
    for (const effect of effects) {
      switch (effect.kind) {
        case 'render':
        case 'match':
          await this.photoStep(effect.kind, photo, jobIdFor(photoId, v, r));
          break;
        case 'takedown':
          await this.queues.add(
            'takedown',
            { photoId, why: effect.why },
            { jobId: jobIdFor('takedown', photoId, effect.why, r) },
          );
          break;
        case 'release-at': {
          const at = Date.parse(effect.at);
          await this.queues.add(
            'release',
            { photoId },
            { jobId: jobIdFor('release', photoId, String(at)), delay: Math.max(0, at - Date.now()) },
          );
          break;
        }
        case 'publish':
          if (!this.publish) throw new Error(`cannot republish ${effect.storyId} from here`);
          await this.publish(effect.storyId);
          break;
      }
    }
  }

  /**
   * A job of `from` has done its step for the photo: queues what comes next in the pipeline table
   * (render after ingest, match after render), under ids derived from the finished job's, so a
   * retried job queues its next step once.
   */
  async advance(from: StageName, photo: ChangedPhoto, finishedJobId: string): Promise<void> {
    const parent = finishedJobId || jobIdFor(photo.photoId, `v${photo.version}`, from);
    for (const stage of nextStages(from)) {
      if (!isPhotoStep(stage))
        throw new Error(`${from} is followed by ${stage}, which is not a photo's step`);
      await this.photoStep(stage, photo, jobIdFor(parent, stage));
    }
  }

  /**
   * A job of `from` has done its step for many photos at once (backfill's re-matches): their next
   * steps in one round trip, each under `jobIdFor(photoId, batch, stage)`.
   */
  async advanceAll(
    from: StageName,
    photoIds: readonly string[],
    batch: string,
    /** Options of these jobs over their stage's defaults (a priority for bulk work). */
    own: JobsOptions = {},
  ): Promise<void> {
    for (const stage of nextStages(from)) {
      if (!isPhotoStep(stage))
        throw new Error(`${from} is followed by ${stage}, which is not a photo's step`);
      await this.queues.addBulk(
        stage,
        photoIds.map((photoId) => ({
          payload: { photoId },
          options: { ...own, jobId: jobIdFor(photoId, batch) },
        })),
      );
    }
  }

  private async photoStep(stage: 'ingest' | 'render' | 'match', photo: ChangedPhoto, jobId: string) {
    await this.queues.add(stage, { photoId: photo.photoId }, photoJobOptions(photo, jobId));
  }
}

/**
 * A photo step's own job options, over its stage's defaults from the table: its id, and the
 * photo's priority (`priorityOptions`: bulk work waits behind live work).
 */
export function photoJobOptions(photo: ChangedPhoto, jobId: string): JobsOptions {
  return { jobId, ...priorityOptions(photo.priority) };
}
