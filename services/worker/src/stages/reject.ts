import type { ActivityPublisher } from '@lightbox/activity';
import type { PhotoCatalog } from '@lightbox/catalog';
import { RejectedInputError } from '@lightbox/contracts';

/** Records why a photo was rejected, then throws so the job fails (without retries) with the same reason. */
export async function rejectPhoto(
  photos: PhotoCatalog,
  photoId: string,
  error: RejectedInputError,
  activity?: ActivityPublisher,
): Promise<never> {
  await photos.update(photoId, { status: 'rejected', error: `${error.code}: ${error.reason}` });
  await photos.stopAwaitingStory(photoId);
  await activity?.publish({
    kind: 'rejected',
    at: new Date().toISOString(),
    photoId,
    reason: `${error.code}: ${error.reason}`,
  });
  throw error;
}

export { RejectedInputError };
