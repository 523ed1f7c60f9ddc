import type { Photo } from '@lightbox/contracts';
import { RejectedInputError } from '@lightbox/contracts';
import type { Needs } from '../deps.js';

/** What recording a rejection needs. */
export const REJECT_NEEDS = ['lifecycle', 'work', 'activity', 'intakeRejections', 'feedHealth'] as const;

/**
 * Records why a photo was rejected (through the lifecycle, which also takes down what an earlier
 * version showed), then throws so the job fails without retries with the same reason.
 */
export async function rejectPhoto(
  deps: Needs<typeof REJECT_NEEDS>,
  photo: Photo,
  error: RejectedInputError,
): Promise<never> {
  const reason = `${error.code}: ${error.reason}`;
  const done = await deps.lifecycle.apply(
    photo.photoId,
    { type: 'reject', reason },
    { version: photo.version },
  );
  if (done.ok) {
    await deps.work.run(done.photo, done.effects);
    await deps.intakeRejections.tell(done.photo, reason);
    // Feed health: the transmission intake counted as accepted was bad input after all.
    await deps.feedHealth.rejectedLater(photo.feed);
    await deps.activity.publish({
      kind: 'rejected',
      at: new Date().toISOString(),
      photoId: photo.photoId,
      reason,
    });
  }
  throw error;
}

export { RejectedInputError };
