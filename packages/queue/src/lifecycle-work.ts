import type { IntakePriority } from '@lightbox/contracts';
import type { LifecycleEffect } from '@lightbox/lifecycle';
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

/**
 * Queues the work a lifecycle change sets off (`LifecycleEffect`). Job ids are deterministic, so
 * carrying out the same change twice (a retried job, a resent transmission) queues nothing new:
 * per version and revision for render and match (a resumed photo renders again), per time for an
 * embargo's timer. The pipeline's jobs carry the photo's priority (`priorityOptions`); take-downs
 * and timers never wait behind anything.
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
    const priority = priorityOptions(photo.priority);
    for (const effect of effects) {
      switch (effect.kind) {
        case 'render':
          await this.queues.add('render', { photoId }, { jobId: jobIdFor(photoId, v, r), ...priority });
          break;
        case 'match':
          await this.queues.add('match', { photoId }, { jobId: jobIdFor(photoId, v, r), ...priority });
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
}
