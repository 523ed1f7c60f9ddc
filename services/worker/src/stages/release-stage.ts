import type { JobPayloads } from '@lightbox/contracts';
import type { Needs } from '../deps.js';

export const RELEASE_NEEDS = ['lifecycle', 'work', 'log', 'expirySweep', 'feedCheck'] as const;

/**
 * release: the lifecycle's timers. An embargo's: when its time has come the photo carries on
 * (render, then match); a timer that fires early (the embargo was lengthened since) does nothing:
 * the version that lengthened it set its own timer. And the licence-expiry sweep and the feed health
 * check, repeating.
 */
export class ReleaseStage {
  constructor(private readonly deps: Needs<typeof RELEASE_NEEDS>) {}

  async handle(job: JobPayloads['release']): Promise<void> {
    if ('sweep' in job && job.sweep === 'feeds') {
      await this.deps.feedCheck.run();
      return;
    }
    if ('sweep' in job) {
      const { expired } = await this.deps.expirySweep.run();
      if (expired > 0) this.deps.log.info({ expired }, 'expiry sweep: photos whose licence ran out');
      return;
    }
    const { photoId } = job;
    const done = await this.deps.lifecycle.apply(photoId, {
      type: 'embargo-lapsed',
      at: new Date().toISOString(),
    });
    if (!done.ok) {
      this.deps.log.info({ photoId, why: done.message }, 'embargo timer: nothing to release');
      return;
    }
    await this.deps.work.run(done.photo, done.effects);
    this.deps.log.info({ photoId, status: done.photo.status }, 'embargo lifted');
  }
}
