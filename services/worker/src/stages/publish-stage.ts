import { clip } from '@lightbox/activity';
import {
  type GalleryManifest,
  type JobPayloads,
  type Photo,
  RejectedInputError,
  type Story,
} from '@lightbox/contracts';
import {
  buildManifest,
  type GalleryObjects,
  galleryObjects,
  indexObjects,
  planGalleryWrites,
  planIndexWrites,
  readWritten,
  type WritePlan,
} from '@lightbox/gallery';
import { publishLatency } from '@lightbox/lifecycle';
import type { StageJobContext } from '@lightbox/queue';
import { galleryEventData, galleryEventType } from '@lightbox/webhooks';
import type { Needs } from '../deps.js';
import { GalleryWriter } from './gallery-writer.js';
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
export const INDEX_NEEDS = ['stories', 'store', 'log', 'publishing'] as const;

/** The objects of `built` that the plan writes (the plan was made from an earlier build). */
function restamped(plan: WritePlan, built: GalleryObjects): WritePlan {
  const byKey = new Map([built.manifest, ...built.feeds].map((o) => [o.key, o]));
  return { ...plan, write: plan.write.map((o) => byKey.get(o.key) ?? o) };
}

/**
 * publish: rebuilds the story's gallery from state and writes what changed: the manifest
 * `galleries/<storyId>/gallery.json` at once, its feeds when their refresh is due (or a take-down
 * waits), then files the gallery in the index and tells webhook subscribers.
 */
export class PublishStage {
  private readonly writer: GalleryWriter;

  constructor(private readonly deps: Needs<typeof PUBLISH_NEEDS>) {
    this.writer = new GalleryWriter(deps.store, deps.stories.writes);
  }

  async handle(
    { storyId }: JobPayloads['publish'],
    context?: Pick<StageJobContext, 'delayUntil'>,
  ): Promise<void> {
    const { stories, photos, store, log, publishing } = this.deps;
    const story = await stories.get(storyId);
    if (!story) {
      await stories.writes.setFeedsBehind(storyId, false);
      throw new RejectedInputError('unknown_story', `Story ${storyId} does not exist`);
    }
    // Spacing is enforced here, where it cannot race: one publish job per story exists at a time.
    const last = await stories.lastPublishingAt(storyId);
    if (context && last !== undefined && Date.now() < last + this.deps.publishSpacingMs)
      return context.delayUntil(last + this.deps.publishSpacingMs);
    await stories.markPublishing(storyId, Date.now());
    const seq = await stories.beginPublish(storyId);
    const urgent = await stories.writes.takeNow(storyId);
    const [members, layout, written, current] = await Promise.all([
      photos.getMany(await stories.photoIds(storyId)),
      stories.getLayout(storyId),
      stories.writes.read(storyId),
      stories.galleryVersion(storyId),
    ]);
    const build = (version: number) => {
      const manifest = buildManifest({
        story,
        photos: members,
        version,
        updatedAt: new Date(),
        urlFor: (k) => store.publicUrl(k),
        layout,
        duplicates: this.deps.galleries,
      });
      return { manifest, objects: galleryObjects(manifest, (k) => store.publicUrl(k)) };
    };
    let { manifest, objects } = build(current + 1);
    let plan = planGalleryWrites(objects, readWritten(written), {
      now: Date.now(),
      refreshMs: publishing.timing.refreshMs ?? 0,
      urgent,
    });
    const manifestWritten = plan.write.some((o) => o.key === objects.manifest.key);
    // The manifest's version counts its writes; feeds written alone carry the version in storage.
    const version = manifestWritten ? await stories.nextGalleryVersion(storyId) : current;
    if (plan.write.length > 0 && version !== current + 1) {
      ({ manifest, objects } = build(version));
      plan = restamped(plan, objects);
    }
    const etags = await this.writer.write(storyId, plan);
    await stories.writes.setFeedsBehind(storyId, plan.deferred.length > 0);
    if (manifestWritten) await stories.recordGalleryEntry(objects.entry);
    await stories.endPublish(storyId, seq);
    // The index lists the new version; feeds waiting for their refresh are written from its run.
    if (manifestWritten || plan.deferred.length > 0) await publishing.scheduleIndex();

    await this.recordPublished(story, manifest, members);
    if (!manifestWritten) return;
    await this.deps.activity.publish({
      kind: 'gallery',
      at: manifest.updatedAt,
      storyId,
      storySlug: story.slug,
      version: manifest.version,
      reason: `${manifest.photos.length} photos${manifest.final ? ', final' : ''}`,
    });
    await this.deps.webhooks.notify(galleryEventType(manifest), galleryEventData(manifest, objects.urls));
    log.info(
      {
        storyId,
        version,
        photos: manifest.photos.length,
        final: manifest.final,
        key: objects.manifest.key,
        etag: etags.get(objects.manifest.key),
        feeds: plan.deferred.length > 0 ? 'waiting for their refresh' : 'written',
      },
      'gallery published',
    );
  }

  /** Matched photos the gallery in storage now shows become `published` (and the live feed says so). */
  private async recordPublished(story: Story, manifest: GalleryManifest, members: Photo[]): Promise<void> {
    const { store } = this.deps;
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
          storyId: story.id,
          storySlug: story.slug,
          // The whole time from arrival, and the part spent embargoed or with editors (issue 16).
          ...publishLatency(p, now),
        })),
    );
  }
}

/**
 * index: rewrites `galleries/index.json` and the all-galleries feeds from the recorded entries when
 * they changed (at most every refresh, at once for a new gallery, a changed cover or a take-down),
 * and has galleries whose feeds waited for their refresh write them.
 */
export class IndexStage {
  private readonly writer: GalleryWriter;

  constructor(private readonly deps: Needs<typeof INDEX_NEEDS>) {
    this.writer = new GalleryWriter(deps.store, deps.stories.writes);
  }

  async handle(_payload: JobPayloads['index']): Promise<void> {
    const { stories, store, publishing, log } = this.deps;
    const seq = await stories.beginPublish('index');
    const urgent = await stories.writes.takeNow('index');
    const [entries, written, behind] = await Promise.all([
      stories.galleryEntries(),
      stories.writes.read('index'),
      stories.writes.feedsBehind(),
    ]);
    const now = Date.now();
    const refreshMs = publishing.timing.refreshMs ?? 0;
    const plan = planIndexWrites(
      indexObjects(entries, new Date(now), (k) => store.publicUrl(k)),
      readWritten(written),
      { now, refreshMs, urgent },
    );
    await this.writer.write('index', plan);
    await stories.endPublish('index', seq);
    let waiting = plan.deferred.length > 0;
    for (const storyId of behind) {
      const { refreshedAt } = readWritten(await stories.writes.read(storyId));
      // Not `now`: the publish decides by the same clock, so a look that raced a run that just
      // wrote the feeds costs nothing (a `now` request would outlive it and make the next one urgent).
      if ((refreshedAt ?? 0) + refreshMs <= now) await publishing.schedule(storyId);
      else waiting = true;
    }
    // Polled at the publish spacing while anything waits: a take-down's request is never far off.
    if (waiting) await publishing.scheduleIndex();
    if (plan.write.length > 0) log.info({ galleries: entries.length }, 'gallery index published');
  }
}
