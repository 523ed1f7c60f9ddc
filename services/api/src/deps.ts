import type { AuditLog, PhotoCatalog, StoryCatalog } from '@lightbox/catalog';
import type { FeedHealth } from '@lightbox/feed-health';
import type { PhotoIntake } from '@lightbox/intake';
import type { PipelineQueues } from '@lightbox/queue';
import type { Redis } from '@lightbox/redis';
import type { RuntimeSettings } from '@lightbox/settings';
import type { ObjectStore } from '@lightbox/storage';
import type { StoryDesk } from '@lightbox/story-desk';

export interface ApiDeps {
  redis: Redis;
  store: ObjectStore;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  queues: PipelineQueues;
  intake: PhotoIntake;
  desk: StoryDesk;
  audit: AuditLog;
  /** Each feed's arrivals, rejections and incidents (feeds page, `/v1/feeds`, `/metrics`). */
  feedHealth: FeedHealth;
  /** Webhook subscribers and S3 inboxes admins change at run time. */
  settings: RuntimeSettings;
}
