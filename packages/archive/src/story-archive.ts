import type {
  ArchivedStoryRef,
  AuditEntry,
  AuditLog,
  PhotoCatalog,
  StoryCatalog,
  StoryState,
} from '@lightbox/catalog';
import type { ObjectStore } from '@lightbox/storage';
import {
  type AcceptanceRecords,
  type ArchivedPhoto,
  evictPhotos,
  photoIdentityKeys,
  restorePhotos,
  withAudit,
  writeVerified,
} from './archived-state.js';

export const ARCHIVE_FORMAT = 'lightbox-story-archive/1';

/** The S3 document holding an archived story's whole Redis state. */
export interface StoryArchiveDocument {
  format: typeof ARCHIVE_FORMAT;
  archivedAt: string;
  story: StoryState;
  storyAudit: AuditEntry[];
  photos: ArchivedPhoto[];
}

export class StoryArchiveError extends Error {
  override readonly name = 'StoryArchiveError';
  constructor(
    readonly code: 'not_found' | 'not_closed' | 'not_archived' | 'bad_archive',
    message: string,
  ) {
    super(message);
  }
}

export const archiveKey = (storyId: string) => `archive/stories/${storyId}.json`;

/** A live story's copy in object storage (`StoryCopies`): removed when archived, written on restore. */
export interface StoryCopyRecords {
  remove(storyId: string): Promise<void>;
  save(storyId: string): Promise<void>;
}

/** What else object storage keeps of live state, moved along with what is archived. */
export interface LiveStateCopies {
  acceptances?: AcceptanceRecords;
  copies?: StoryCopyRecords;
}

/**
 * Keeps Redis bounded: a closed story's state (story, layout, its photos with versions and audit
 * trails) moves to `archive/stories/<storyId>.json` in S3 and is evicted from Redis; a pointer and
 * the story's gallery-index entry stay. Published galleries and renditions in S3 are untouched.
 * The archive is written and read back before anything is evicted, so a crash at any point loses
 * nothing and a retry finishes the job. `restore` brings a story back exactly as it was.
 */
export class StoryArchive {
  constructor(
    private readonly stories: StoryCatalog,
    private readonly photos: PhotoCatalog,
    private readonly audit: AuditLog,
    private readonly store: ObjectStore,
    private readonly live: LiveStateCopies = {},
  ) {}

  /** Archives a closed story; a story already archived is left alone (returns its pointer). */
  async archive(storyId: string, now = new Date()): Promise<ArchivedStoryRef> {
    const state = await this.stories.exportState(storyId);
    if (!state) {
      const ref = await this.stories.archivedRef(storyId);
      if (ref) return ref;
      throw new StoryArchiveError('not_found', `No story ${storyId}`);
    }
    if (state.story.status !== 'closed')
      throw new StoryArchiveError('not_closed', `Story ${storyId} is open: close it before archiving`);
    // Only the story's own members: a photo moved to another story since stays.
    const members = (await this.photos.exportStates(state.photoIds, photoIdentityKeys)).filter(
      (p) => p.photo.storyId === storyId,
    );
    const doc: StoryArchiveDocument = {
      format: ARCHIVE_FORMAT,
      archivedAt: now.toISOString(),
      story: state,
      storyAudit: await this.audit.of('story', storyId),
      photos: await withAudit(this.audit, members),
    };
    const key = archiveKey(storyId);
    await writeVerified(this.store, key, doc);
    const ref: ArchivedStoryRef = {
      storyId,
      slug: state.story.slug,
      key,
      archivedAt: doc.archivedAt,
      photos: members.length,
    };
    await evictPhotos(this.photos, this.audit, members, this.live.acceptances);
    await this.audit.evict('story', [storyId]);
    await this.stories.evict(state.story, ref);
    await this.live.copies?.remove(storyId);
    return ref;
  }

  /** Brings an archived story and its photos back into Redis. */
  async restore(storyId: string): Promise<StoryState> {
    const ref = await this.stories.archivedRef(storyId);
    if (!ref) {
      if (await this.stories.get(storyId)) return (await this.stories.exportState(storyId)) as StoryState;
      throw new StoryArchiveError('not_archived', `Story ${storyId} is not archived`);
    }
    const doc = JSON.parse((await this.store.get(ref.key)).toString('utf8')) as StoryArchiveDocument;
    if (doc.format !== ARCHIVE_FORMAT || doc.story.story.id !== storyId)
      throw new StoryArchiveError('bad_archive', `${ref.key} is not the archive of story ${storyId}`);
    await restorePhotos(this.photos, this.audit, doc.photos, this.live.acceptances);
    await this.audit.restore('story', storyId, doc.storyAudit);
    // The story last: until it is back, the pointer says where everything is.
    await this.stories.importState(doc.story);
    await this.live.copies?.save(storyId);
    return doc.story;
  }
}
