import type { IntakePriority, WebhookEvent } from '@lightbox/contracts';

/** Where a setting came from: the environment at start (`LIGHTBOX_WEBHOOKS`, …), or an admin. */
export type SettingSource = 'environment' | 'admin';

/** What every stored setting carries besides its own fields (`version` is the stored format's). */
export interface SettingMeta {
  version: 1;
  id: string;
  source: SettingSource;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** A webhook subscriber as stored: where to POST, the signing secret, which events. */
export interface StoredWebhook extends SettingMeta {
  url: string;
  secret: string;
  events: WebhookEvent[];
}

/** An S3 inbox as stored: the bucket and prefix polled for a feed, and how to reach it. */
export interface StoredInbox extends SettingMeta {
  feed: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
  /** `bulk` for an archive or backfill inbox: its photos wait behind live wire photos. */
  priority?: IntakePriority;
  /** Another S3 endpoint and credentials (an agency's bucket); absent: Lightbox's own. */
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export type SettingKind = 'webhooks' | 'inboxes';
export type StoredSetting<K extends SettingKind> = K extends 'webhooks' ? StoredWebhook : StoredInbox;

/** A setting as the environment gives it: its own fields and its id. */
export type SeedEntry<K extends SettingKind> = Omit<StoredSetting<K>, keyof SettingMeta> & { id: string };
