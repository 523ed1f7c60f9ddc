import type { Access } from '@lightbox/access';
import type { ActivitySubscriber, PipelineStats } from '@lightbox/activity';
import type { AuditLog, PhotoCatalog, StoryCatalog } from '@lightbox/catalog';
import type { WebhookTargetRules } from '@lightbox/config';
import type { FeedHealth } from '@lightbox/feed-health';
import type { PipelineQueues } from '@lightbox/queue';
import type { RuntimeSettings } from '@lightbox/settings';
import type { ObjectStore } from '@lightbox/storage';
import type { StoryDesk } from '@lightbox/story-desk';
import type { Redis } from 'ioredis';

/** What the dashboard reads and acts through; each is a repository or service the API already has. */
export interface DashboardDeps {
  redis: Redis;
  store: ObjectStore;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  audit: AuditLog;
  queues: PipelineQueues;
  desk: StoryDesk;
  stats: PipelineStats;
  /** Each feed's health: the banner names silent or rejecting feeds; the Feeds page lists them. */
  feedHealth: FeedHealth;
  /** Webhook subscribers and S3 inboxes (the admins' Settings pages), and where webhooks may go. */
  settings: RuntimeSettings;
  webhookTargets: WebhookTargetRules;
  subscriber: ActivitySubscriber;
  access: Access;
  /** Key prefix for the dashboard's own Redis keys (live-stream leases). */
  redisPrefix: string;
  /** Live streams (SSE) one session, or one bearer-token principal, may hold open at once. */
  liveStreamsPerSession: number;
}
