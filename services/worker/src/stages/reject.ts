import type { PhotoCatalog } from '@lightbox/catalog';
import { RejectedInputError } from '@lightbox/contracts';

/** Records why a photo was rejected, then throws so the job fails (without retries) with the same reason. */
export async function rejectPhoto(
  photos: PhotoCatalog,
  photoId: string,
  error: RejectedInputError,
): Promise<never> {
  await photos.update(photoId, { status: 'rejected', error: `${error.code}: ${error.reason}` });
  await photos.stopAwaitingStory(photoId);
  throw error;
}

export { RejectedInputError };
