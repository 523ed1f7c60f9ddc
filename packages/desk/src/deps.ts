import type { AuditLog, PhotoCatalog, StoryCatalog } from '@lightbox/catalog';
import type { FeedHealth } from '@lightbox/feed-health';
import type { PipelineQueues } from '@lightbox/queue';
import type { ObjectStore } from '@lightbox/storage';
import type { StoryDesk } from '@lightbox/story-desk';

/** What the desk reads and acts through: the catalogs, the queues, the store and the story desk. */
export interface DeskDeps {
  photos: PhotoCatalog;
  stories: StoryCatalog;
  audit: AuditLog;
  queues: PipelineQueues;
  store: ObjectStore;
  /** Editors' decisions and the jobs each sets off. */
  storyDesk: StoryDesk;
  /** Each feed's arrivals, rejections and incidents. */
  feedHealth: Pick<FeedHealth, 'summaries'>;
}
