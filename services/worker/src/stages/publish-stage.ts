import { type JobPayloads, RejectedInputError } from '@lightbox/contracts';
import { buildManifest, GalleryPublisher } from '@lightbox/gallery';
import type { StageDeps } from './deps.js';

/** publish: rebuilds the story's manifest from state and writes `galleries/<storyId>/gallery.json`. */
export class PublishStage {
  private readonly publisher: GalleryPublisher;

  constructor(private readonly deps: StageDeps) {
    this.publisher = new GalleryPublisher(deps.store);
  }

  async handle({ storyId }: JobPayloads['publish']): Promise<void> {
    const { stories, photos, store, log } = this.deps;
    const story = await stories.get(storyId);
    if (!story) throw new RejectedInputError('unknown_story', `Story ${storyId} does not exist`);
    const members = await photos.getMany(await stories.photoIds(storyId));
    const version = await stories.nextGalleryVersion(storyId);
    const manifest = buildManifest({
      story,
      photos: members,
      version,
      updatedAt: new Date(),
      urlFor: (k) => store.publicUrl(k),
    });
    const { key } = await this.publisher.publish(manifest);
    const published = new Set(manifest.photos.map((p) => p.photoId));
    await Promise.all(
      members
        .filter((p) => published.has(p.photoId) && p.status === 'matched')
        .map((p) => photos.transition(p.photoId, 'matched', 'published')),
    );
    log.info({ storyId, version, photos: manifest.photos.length, key }, 'gallery published');
  }
}
