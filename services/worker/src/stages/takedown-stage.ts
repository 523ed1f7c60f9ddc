import { type GalleryManifest, type JobPayloads, objectKeys, type Photo } from '@lightbox/contracts';
import { addLogContext } from '@lightbox/logger';
import type { StageJobContext } from '@lightbox/queue';
import { jobIdFor } from '@lightbox/queue';
import { ObjectNotFoundError } from '@lightbox/storage';
import type { Needs } from '../deps.js';

export const TAKEDOWN_NEEDS = [
  'photos',
  'stories',
  'store',
  'log',
  'publishing',
  'publishSpacingMs',
  'activity',
  'webhooks',
] as const;

type Why = JobPayloads['takedown']['why'];

/** The statuses a take-down is for; a photo released meanwhile needs none. */
const STILL_DOWN: Record<Why, (p: Photo) => boolean> = {
  kill: (p) => p.status === 'killed',
  expire: (p) => p.status === 'expired',
  withdraw: (p) => ['embargoed', 'held', 'rejected', 'killed', 'expired'].includes(p.status),
};

/**
 * takedown: a photo leaves public view (kill, licence expiry, or an embargo or hold that came with a
 * new version). Its renditions are deleted; its gallery is republished without it, and the
 * take-down waits until a publish that started after it has finished, then the gallery index
 * likewise, so no earlier publish can put it back. Only then, for a kill or expiry, its kept C2PA
 * manifest stores go (they hold the picture's thumbnail) and subscribers get `photo.killed` or
 * `photo.expired`: when they look, the photo is gone.
 */
export class TakedownStage {
  constructor(private readonly deps: Needs<typeof TAKEDOWN_NEEDS>) {}

  async handle(
    { photoId, why }: JobPayloads['takedown'],
    context: Pick<StageJobContext, 'delayUntil'>,
  ): Promise<void> {
    const { photos, stories, log } = this.deps;
    const photo = await photos.get(photoId);
    if (!photo || !STILL_DOWN[why](photo)) return;
    addLogContext({ feed: photo.feed });

    await this.removeRenditions(photo);
    const storyId = photo.storyId;
    if (storyId) {
      // A kill or expiry leaves the story for good; a withdrawn photo comes back when released.
      if (why !== 'withdraw') await stories.removePhoto(storyId, photoId);
      if (!(await this.republished(photoId, storyId))) return this.waitForPublish(context);
      if (!(await this.republished(photoId, 'index'))) return this.waitForPublish(context);
    }
    // A render that raced the take-down may have uploaded again.
    await this.removeRenditions(photo);
    if (why === 'withdraw') return;

    await this.removeManifestStores(photo);
    const at = (why === 'kill' ? photo.killed?.at : photo.expired?.at) ?? new Date().toISOString();
    const reason = (why === 'kill' ? photo.killed?.reason : photo.expired?.reason) ?? 'kill notice';
    await this.deps.activity.publish({
      kind: why === 'kill' ? 'killed' : 'expired',
      at: new Date().toISOString(),
      photoId,
      storyId,
      reason,
    });
    const eventId = jobIdFor('evt', why === 'kill' ? 'killed' : 'expired', photoId, String(photo.version));
    if (why === 'kill')
      await this.deps.webhooks.notify(
        'photo.killed',
        { photoId, storyId: storyId ?? null, reason, killedAt: at },
        jobIdFor(eventId, String(photo.rev ?? 0)),
      );
    else
      await this.deps.webhooks.notify(
        'photo.expired',
        { photoId, storyId: storyId ?? null, reason, expiredAt: at },
        eventId,
      );
    log.info({ photoId, storyId, reason, why }, 'photo taken down: renditions deleted, galleries without it');
  }

  /**
   * The C2PA manifest stores kept from the photo's transmissions: they embed thumbnails of the
   * picture, so a killed or expired photo keeps none. Content-addressed, so the keys come from the
   * record and its history.
   */
  private async removeManifestStores(photo: Photo): Promise<void> {
    const versions = await this.deps.photos.versions(photo.photoId);
    const keys = new Set(
      [photo.provenance?.manifestStoreKey, ...versions.map((v) => v.manifestStoreKey)].filter(
        (k): k is string => k !== undefined,
      ),
    );
    await Promise.all([...keys].map((k) => this.deps.store.delete(k)));
  }

  /**
   * True once a run (of the gallery, or of the index) that started after this take-down first
   * looked has finished, and neither what it wrote nor its feeds show the photo. Until then it asks
   * for one.
   */
  private async republished(photoId: string, scope: string): Promise<boolean> {
    const { stories, publishing } = this.deps;
    const mark = await stories.takedownMark(photoId, scope);
    const done = (await stories.publishedSince(scope, mark)) && !(await this.stillShown(photoId, scope));
    // `now`: feeds and the index, which otherwise follow at their refresh, are written at once.
    if (!done) {
      if (scope === 'index') await publishing.scheduleIndex({ now: true });
      else await publishing.schedule(scope, { now: true });
    }
    return done;
  }

  /** What downstream sites read right now (the manifest or index, and their feeds) still names the photo. */
  private async stillShown(photoId: string, scope: string): Promise<boolean> {
    const [key, ...feeds] =
      scope === 'index'
        ? [objectKeys.galleryIndex, objectKeys.galleriesFeed('json'), objectKeys.galleriesFeed('xml')]
        : [
            objectKeys.gallery(scope),
            objectKeys.galleryFeed(scope, 'json'),
            objectKeys.galleryFeed(scope, 'xml'),
          ];
    const read = async (k: string) => {
      try {
        return (await this.deps.store.get(k)).toString('utf8');
      } catch (err) {
        if (err instanceof ObjectNotFoundError) return '';
        throw err;
      }
    };
    const [body, ...feedBodies] = await Promise.all([key, ...feeds].map(read));
    // Feeds name a photo in item ids, guids and rendition URLs (`renditions/<photoId>/…`).
    if (feedBodies.some((b) => b.includes(photoId))) return true;
    if (!body || scope === 'index') return (body ?? '').includes(`"${photoId}"`);
    const manifest = JSON.parse(body) as GalleryManifest;
    return manifest.photos.some(
      (p) => p.photoId === photoId || p.alternates.some((a) => a.photoId === photoId),
    );
  }

  private waitForPublish(context: Pick<StageJobContext, 'delayUntil'>): Promise<never> {
    return context.delayUntil(Date.now() + Math.max(500, this.deps.publishSpacingMs / 2));
  }

  private async removeRenditions(photo: Photo): Promise<void> {
    const { store, photos } = this.deps;
    const keys = new Set([
      ...(photo.renditions ?? []).map((r) => r.key),
      ...(await store.list(`renditions/${photo.photoId}/`)),
    ]);
    await Promise.all([...keys].map((k) => store.delete(k)));
    if (photo.renditions || photo.placeholder)
      await photos.update(
        photo.photoId,
        { renditions: null, placeholder: null },
        {
          version: photo.version,
          notIn: ['received', 'matched', 'published', 'review', 'unmatched'],
        },
      );
  }
}
