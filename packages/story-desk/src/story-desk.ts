import type { AuditLog, EventWrite, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { StorySlugTakenError } from '@lightbox/catalog';
import type { GalleryLayout, MatchResult, Photo, Story, StoryInput, StoryUpdate } from '@lightbox/contracts';
import type { LifecycleEvent } from '@lightbox/lifecycle';
import { jobIdFor, LifecycleWork, type PipelineQueues } from '@lightbox/queue';
import type { ObjectStore } from '@lightbox/storage';
import { PublishScheduler } from './publish-scheduler.js';
import { StoryCopies, type StoryCopy } from './story-copies.js';
import { applyStoryUpdate, DeskError, parseLayout } from './story-update.js';

const HOUR = 3600_000;

export interface StoryDeskOptions {
  /** Hours after a story's end when it closes by itself; 0 never. */
  autoCloseHours: number;
  /** Hours after a story closes when its state moves to S3 (archive stage); 0 never. */
  archiveAfterHours?: number;
}

/**
 * What editors (API, CLI, dashboard) do to stories and photos, and the work each change sets off:
 * a new or edited story re-matches waiting photos (backfill) and gets its auto-close scheduled;
 * any change to what a gallery shows schedules a publish. Manual decisions are marked so that a
 * later automatic re-match never overrides them.
 */
export class StoryDesk {
  private readonly work: LifecycleWork;

  constructor(
    private readonly stories: StoryCatalog,
    private readonly photos: PhotoCatalog,
    private readonly lifecycle: PhotoLifecycle,
    private readonly queues: PipelineQueues,
    private readonly publishing: PublishScheduler,
    /** Every story change is also written to object storage (`stories/<id>.json`). */
    private readonly copies: StoryCopies,
    private readonly options: StoryDeskOptions,
    private readonly audit?: AuditLog,
  ) {
    this.work = new LifecycleWork(queues, (storyId) => publishing.schedule(storyId));
  }

  async requireStory(storyId: string): Promise<Story> {
    const story = await this.stories.get(storyId);
    if (story) return story;
    const archived = await this.stories.archivedRef(storyId);
    if (archived)
      throw new DeskError(
        'not_found',
        `Story ${storyId} was archived on ${archived.archivedAt} to ${archived.key}; its gallery stays published`,
      );
    throw new DeskError('not_found', `No story ${storyId}`);
  }

  async create(input: StoryInput, by = 'system'): Promise<Story> {
    let story: Story;
    try {
      story = await this.stories.create(input);
    } catch (err) {
      if (err instanceof StorySlugTakenError) throw new DeskError('conflict', err.message);
      throw err;
    }
    await this.copies.save(story.id);
    await this.afterChange(story);
    await this.audit?.record({ actor: by, action: 'story.create', storyId: story.id, detail: story.slug });
    return story;
  }

  async update(storyId: string, update: StoryUpdate, by = 'system'): Promise<Story> {
    const before = await this.requireStory(storyId);
    const story = applyStoryUpdate(before, update, new Date());
    await this.stories.save(story);
    await this.copies.save(story.id);
    await this.afterChange(story);
    const action =
      story.status !== before.status
        ? story.status === 'closed'
          ? 'story.close'
          : 'story.reopen'
        : 'story.edit';
    await this.audit?.record({ actor: by, action, storyId, detail: JSON.stringify(update) });
    if (story.headline !== before.headline || story.status !== before.status) await this.republish(story.id);
    return story;
  }

  /** Closes a story (editor or auto-close): its gallery becomes final; late photos go to review. */
  async close(storyId: string, by = 'system'): Promise<Story> {
    const story = await this.requireStory(storyId);
    if (story.status === 'closed') return story;
    return this.update(storyId, { status: 'closed' }, by);
  }

  /** Auto-close: closes the story only if it is still open and its end + grace has passed. */
  async closeIfDue(storyId: string, now = Date.now()): Promise<boolean> {
    const story = await this.stories.get(storyId);
    if (!story || story.status === 'closed' || this.options.autoCloseHours <= 0) return false;
    if (now < this.closesAt(story)) return false;
    await this.close(storyId, 'auto-close');
    return true;
  }

  async layout(storyId: string): Promise<GalleryLayout> {
    await this.requireStory(storyId);
    return this.stories.getLayout(storyId);
  }

  async setLayout(storyId: string, input: unknown, by = 'system'): Promise<GalleryLayout> {
    await this.requireStory(storyId);
    const layout = parseLayout(input, await this.stories.getLayout(storyId));
    await this.stories.setLayout(storyId, layout);
    await this.copies.save(storyId);
    await this.audit?.record({
      actor: by,
      action: 'gallery.layout',
      storyId,
      detail: `order ${layout.order.join(', ') || '(capture order)'}; cover ${layout.cover ?? '(first photo)'}${layout.leads ? `; leads ${layout.leads.join(', ')}` : ''}`,
    });
    await this.republish(storyId);
    return layout;
  }

  /**
   * Puts a story back into Redis from its copy in object storage (the reconciler, after Redis lost
   * it), with its gallery's last published version so manifests keep counting up; then the same
   * work as any change: waiting photos re-matched, auto-close and archive timers scheduled.
   */
  async adopt(copy: StoryCopy, galleryVersion = 0): Promise<Story> {
    try {
      await this.stories.importState({
        story: copy.story,
        photoIds: [],
        layout: copy.layout,
        galleryVersion,
      });
    } catch (err) {
      if (err instanceof StorySlugTakenError) throw new DeskError('conflict', err.message);
      throw err;
    }
    await this.afterChange(copy.story);
    return copy.story;
  }

  /** An editor puts a photo in a story (or moves it there). */
  async assign(photoId: string, storyId: string, by: string): Promise<Photo> {
    const [photo, story] = await Promise.all([this.requirePhoto(photoId), this.requireStory(storyId)]);
    const at = new Date().toISOString();
    const match: MatchResult = {
      decision: 'matched',
      storyId: story.id,
      score: 1,
      reasons: [`assigned by ${by}`],
      candidates: photo.match?.candidates ?? [],
      matchedAt: at,
      manual: { by, at, action: 'assign' },
    };
    await this.decide(
      photoId,
      { type: 'assign', storyId: story.id, by },
      { set: { match, storyId: story.id }, awaitingAt: null },
    );
    await this.moveMembership(photoId, photo.storyId, story.id);
    await this.audit?.record({
      actor: by,
      action: 'photo.assign',
      photoId,
      storyId: story.id,
      detail:
        photo.storyId && photo.storyId !== story.id ? `moved from ${photo.storyId}` : `to ${story.slug}`,
    });
    return this.requirePhoto(photoId);
  }

  /** An editor takes a photo out of its story; automatic matching will not put it back. */
  async unassign(photoId: string, by: string): Promise<Photo> {
    return this.setAside(photoId, by, 'unassign');
  }

  /** An editor decides a photo (typically from review) belongs in no story. */
  async reject(photoId: string, by: string): Promise<Photo> {
    return this.setAside(photoId, by, 'reject');
  }

  /** An editor lifts a photo's embargo before its time (audited); it then carries on to its gallery. */
  async releaseEmbargo(photoId: string, by: string): Promise<Photo> {
    const photo = await this.requirePhoto(photoId);
    await this.decide(photoId, { type: 'release-embargo', by, at: new Date().toISOString() });
    await this.audit?.record({
      actor: by,
      action: 'photo.release-embargo',
      photoId,
      detail: `embargo until ${photo.embargoUntil ?? '(none)'} lifted early`,
    });
    return this.requirePhoto(photoId);
  }

  /** An editor clears what held a photo back (an unreadable embargo…); it carries on to matching. */
  async releaseHold(photoId: string, by: string): Promise<Photo> {
    const photo = await this.requirePhoto(photoId);
    await this.decide(photoId, { type: 'release-hold', by });
    await this.audit?.record({ actor: by, action: 'photo.release-hold', photoId, detail: photo.hold });
    return this.requirePhoto(photoId);
  }

  private async setAside(photoId: string, by: string, action: 'unassign' | 'reject'): Promise<Photo> {
    const photo = await this.requirePhoto(photoId);
    const at = new Date().toISOString();
    const why =
      action === 'reject'
        ? `rejected for every story by ${by}`
        : `unassigned by ${by}${photo.storyId ? ` from ${photo.storyId}` : ''}`;
    const match: MatchResult = {
      decision: 'unmatched',
      storyId: null,
      score: 0,
      reasons: [why],
      candidates: photo.match?.candidates ?? [],
      matchedAt: at,
      manual: { by, at, action },
    };
    await this.decide(
      photoId,
      { type: 'set-aside', by },
      { set: { match, storyId: null }, awaitingAt: null },
    );
    await this.moveMembership(photoId, photo.storyId, undefined);
    await this.audit?.record({
      actor: by,
      action: `photo.${action}`,
      photoId,
      storyId: photo.storyId,
      detail: why,
    });
    return this.requirePhoto(photoId);
  }

  /** Applies an editor's decision through the lifecycle; one it refuses is a conflict with its reason. */
  private async decide(photoId: string, event: LifecycleEvent, write: EventWrite = {}): Promise<void> {
    const done = await this.lifecycle.apply(photoId, event, write);
    if (!done.ok) {
      if (done.code === 'not_found') throw new DeskError('not_found', `No photo ${photoId}`);
      const photo = done.photo;
      const why =
        photo?.status === 'killed'
          ? `was killed: ${photo.killed?.reason ?? 'kill notice'}`
          : photo?.status === 'rejected'
            ? `was rejected: ${photo.error ?? 'bad input'}`
            : done.message;
      throw new DeskError('conflict', `Photo ${photoId} ${why}`);
    }
    // Membership moves are the desk's; the rest (renders, matching, other publishes) is queued.
    await this.work.run(
      done.photo,
      done.effects.filter((e) => e.kind !== 'publish'),
    );
  }

  /**
   * When the story closes by itself (epoch ms): `autoCloseHours` after its end, or after it was
   * registered when that was later (a story registered after the fact still gets its grace period).
   */
  closesAt(story: Story): number {
    return (
      Math.max(Date.parse(story.event.end), Date.parse(story.createdAt)) + this.options.autoCloseHours * HOUR
    );
  }

  private async afterChange(story: Story): Promise<void> {
    await this.queues.add('backfill', { storyId: story.id });
    if (story.status === 'open' && this.options.autoCloseHours > 0) {
      const at = this.closesAt(story);
      // One job per (story, close time): an edited end schedules a new one; stale ones find nothing due.
      await this.queues.add(
        'close',
        { storyId: story.id },
        { delay: Math.max(0, at - Date.now()), jobId: jobIdFor('close', story.id, String(at)) },
      );
    }
    const archiveAfter = this.options.archiveAfterHours ?? 0;
    if (story.status === 'closed' && archiveAfter > 0) {
      const at = this.archivesAt(story);
      // One job per closing: reopening and closing again schedules a new one; stale ones find nothing due.
      await this.queues.add(
        'archive',
        { storyId: story.id },
        { delay: Math.max(0, at - Date.now()), jobId: jobIdFor('archive', story.id, String(at)) },
      );
    }
  }

  /** When a closed story's state moves to S3 (epoch ms): `archiveAfterHours` after its last change. */
  archivesAt(story: Story): number {
    return Date.parse(story.updatedAt) + (this.options.archiveAfterHours ?? 0) * HOUR;
  }

  /** Archive stage: true when the story is still closed and its archive time has come. */
  async archiveIsDue(storyId: string, now = Date.now()): Promise<boolean> {
    const story = await this.stories.get(storyId);
    if (!story || story.status !== 'closed' || (this.options.archiveAfterHours ?? 0) <= 0) return false;
    return now >= this.archivesAt(story);
  }

  private async republish(storyId: string): Promise<void> {
    if ((await this.stories.photoCount(storyId)) > 0 || (await this.stories.lastPublishingAt(storyId)))
      await this.publishing.schedule(storyId);
  }

  private async moveMembership(photoId: string, from: string | undefined, to: string | undefined) {
    if (from && from !== to) {
      await this.stories.removePhoto(from, photoId);
      await this.publishing.schedule(from);
    }
    if (to) {
      await this.stories.addPhoto(to, photoId);
      await this.publishing.schedule(to);
    }
  }

  private async requirePhoto(photoId: string): Promise<Photo> {
    const photo = await this.photos.get(photoId);
    if (!photo) throw new DeskError('not_found', `No photo ${photoId}`);
    return photo;
  }
}

export interface StoryDeskSettings {
  publishDelayMs: number;
  publishSpacingMs: number;
  /** Feeds and the gallery index follow manifests at most this often (`PublishTiming.refreshMs`). */
  feedRefreshMs?: number;
  storyAutoCloseHours: number;
  archiveAfterHours?: number;
}

/** A desk and its publish scheduler, wired from the config's settings (takes a `LightboxConfig`). */
export function createStoryDesk(
  repos: {
    stories: StoryCatalog;
    photos: PhotoCatalog;
    lifecycle: PhotoLifecycle;
    queues: PipelineQueues;
    audit?: AuditLog;
    /** Where story copies go (`stories/<id>.json`). */
    store: ObjectStore;
  },
  settings: StoryDeskSettings,
): { desk: StoryDesk; publishing: PublishScheduler; copies: StoryCopies } {
  const publishing = new PublishScheduler(repos.queues, repos.stories, {
    delayMs: settings.publishDelayMs,
    spacingMs: settings.publishSpacingMs,
    refreshMs: settings.feedRefreshMs,
  });
  const copies = new StoryCopies(repos.stories, repos.store);
  const desk = new StoryDesk(
    repos.stories,
    repos.photos,
    repos.lifecycle,
    repos.queues,
    publishing,
    copies,
    { autoCloseHours: settings.storyAutoCloseHours, archiveAfterHours: settings.archiveAfterHours },
    repos.audit,
  );
  return { desk, publishing, copies };
}
