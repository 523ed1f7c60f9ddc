import { clip } from '@lightbox/activity';
import { type JobPayloads, RejectedInputError } from '@lightbox/contracts';
import { buildManifest, GalleryPublisher } from '@lightbox/gallery';
import { publishLatency } from '@lightbox/lifecycle';
import type { StageJobContext } from '@lightbox/queue';
import { galleryEventData, galleryEventType } from '@lightbox/webhooks';
import type { Needs } from '../deps.js';
import { thumbnailUrl } from './thumbnail.js';

export const PUBLISH_NEEDS = [
  'stories',
  'photos',
  'store',
  'log',
  'galleries',
  'publishSpacingMs',
  'publishing',
  'lifecycle',
  'activity',
  'webhooks',
] as const;
export const INDEX_NEEDS = ['stories', 'store', 'log'] as const;

/**
 * publish: rebuilds the story's manifest from state and writes `galleries/<storyId>/gallery.json`
 * with its feeds, files the gallery in the index, and tells webhook subscribers.
 */
export class PublishStage {
  private readonly publisher: GalleryPublisher;

  constructor(private readonly deps: Needs<typeof PUBLISH_NEEDS>) {
    this.publisher = new GalleryPublisher(deps.store);
  }

  async handle(
    { storyId }: JobPayloads['publish'],
    context?: Pick<StageJobContext, 'delayUntil'>,
  ): Promise<void> {
    const { stories, photos, store, log } = this.deps;
    const story = await stories.get(storyId);
    if (!story) throw new RejectedInputError('unknown_story', `Story ${storyId} does not exist`);
    // Spacing is enforced here, where it cannot race: one publish job per story exists at a time.
    const last = await stories.lastPublishingAt(storyId);
    if (context && last !== undefined && Date.now() < last + this.deps.publishSpacingMs)
      return context.delayUntil(last + this.deps.publishSpacingMs);
    await stories.markPublishing(storyId, Date.now());
    const seq = await stories.beginPublish(storyId);
    const [members, layout] = await Promise.all([
      photos.getMany(await stories.photoIds(storyId)),
      stories.getLayout(storyId),
    ]);
    const version = await stories.nextGalleryVersion(storyId);
    const manifest = buildManifest({
      story,
      photos: members,
      version,
      updatedAt: new Date(),
      urlFor: (k) => store.publicUrl(k),
      layout,
      duplicates: this.deps.galleries,
    });
    const { key, entry } = await this.publisher.publish(manifest);
    await stories.recordGalleryEntry(entry);
    await stories.endPublish(storyId, seq);
    await this.deps.publishing.scheduleIndex();

    const shown = new Set(manifest.photos.flatMap((p) => [p.photoId, ...p.alternates.map((a) => a.photoId)]));
    const newlyPublished = await Promise.all(
      members
        .filter((p) => shown.has(p.photoId) && p.status === 'matched')
        .map(async (p) =>
          (await this.deps.lifecycle.apply(p.photoId, { type: 'published' })).ok ? p : undefined,
        ),
    );
    const now = Date.now();
    await this.deps.activity.publish(
      ...newlyPublished
        .filter((p) => p !== undefined)
        .map((p) => ({
          kind: 'published' as const,
          at: new Date(now).toISOString(),
          photoId: p.photoId,
          feed: p.feed,
          caption: clip(p.metadata?.caption ?? p.metadata?.headline),
          credit: p.metadata?.creditLine ?? p.metadata?.credit,
          thumbnail: p.sensitive ? undefined : thumbnailUrl(p, store),
          storyId,
          storySlug: story.slug,
          // The whole time from arrival, and the part spent embargoed or with editors (issue 16).
          ...publishLatency(p, now),
        })),
    );
    await this.deps.activity.publish({
      kind: 'gallery',
      at: manifest.updatedAt,
      storyId,
      storySlug: story.slug,
      version: manifest.version,
      reason: `${manifest.photos.length} photos${manifest.final ? ', final' : ''}`,
    });
    await this.deps.webhooks.notify(
      galleryEventType(manifest),
      galleryEventData(manifest, this.publisher.urls(storyId)),
    );
    log.info(
      { storyId, version, photos: manifest.photos.length, final: manifest.final, key },
      'gallery published',
    );
  }
}

/** index: rewrites `galleries/index.json` and the all-galleries feeds from the recorded entries. */
export class IndexStage {
  private readonly publisher: GalleryPublisher;

  constructor(private readonly deps: Needs<typeof INDEX_NEEDS>) {
    this.publisher = new GalleryPublisher(deps.store);
  }

  async handle(_payload: JobPayloads['index']): Promise<void> {
    const seq = await this.deps.stories.beginPublish('index');
    const entries = await this.deps.stories.galleryEntries();
    await this.publisher.publishIndex(entries);
    await this.deps.stories.endPublish('index', seq);
    this.deps.log.info({ galleries: entries.length }, 'gallery index published');
  }
}
