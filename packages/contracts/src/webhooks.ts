import { z } from 'zod';

/** Feed health (feed-watch): a feed went silent, its rejections jumped, or it recovered. Once per incident. */
export const FEED_WEBHOOK_EVENTS = ['feed.silent', 'feed.rejecting', 'feed.recovered'] as const;

export const WEBHOOK_EVENTS = [
  'gallery.published',
  'gallery.updated',
  'photo.killed',
  'photo.expired',
  ...FEED_WEBHOOK_EVENTS,
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * What a subscriber that names no `events` gets: what downstream sites act on. Feed health events
 * are for the desk's own alerting and are sent only to subscribers that ask for them.
 */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = [
  'gallery.published',
  'gallery.updated',
  'photo.killed',
  'photo.expired',
];

/** One subscriber from `LIGHTBOX_WEBHOOKS`: where to POST, the signing secret, and which events. */
export const webhookSubscriberSchema = z
  .object({
    /** Names the subscriber in logs and job data (the secret never leaves config). */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    url: z.url({ protocol: /^https?$/ }),
    secret: z.string().min(16, 'secret must be at least 16 characters'),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
  })
  .strict();
export const webhookSubscribersSchema = z.array(webhookSubscriberSchema).max(100);
export type WebhookSubscriberInput = z.infer<typeof webhookSubscriberSchema>;
export type WebhookSubscriber = Required<Pick<WebhookSubscriberInput, 'id' | 'url' | 'secret'>> & {
  events: WebhookEvent[];
};

/** Body of every webhook POST. `id` is also sent as `Lightbox-Delivery`; receivers dedupe on it. */
export interface WebhookBody {
  id: string;
  type: WebhookEvent;
  createdAt: string;
  data: GalleryEventData | PhotoKilledData | PhotoExpiredData | FeedEventData;
}

export interface GalleryEventData {
  storyId: string;
  slug: string;
  headline: string;
  version: number;
  photoCount: number;
  final: boolean;
  /** Public URLs of the manifest and feeds. */
  url: string;
  feeds: { json: string; rss: string };
}

export interface PhotoKilledData {
  photoId: string;
  storyId: string | null;
  reason: string;
  killedAt: string;
}

/** `photo.expired`: the photo's licence ran out; galleries no longer show it and its renditions are gone. */
export interface PhotoExpiredData {
  photoId: string;
  storyId: string | null;
  /** Which expiry ran out, e.g. "agency expiry (IIM 2:37/2:38) 2024-09-30T18:00:00+02:00 (expires …)". */
  reason: string;
  expiredAt: string;
}

/** `feed.silent`, `feed.rejecting`, `feed.recovered`: one incident of one feed (docs/webhooks.md). */
export interface FeedEventData {
  feed: string;
  incident: {
    /** Stable for the incident: `feed.recovered` names the incident `feed.silent` opened. */
    id: string;
    kind: 'silence' | 'rejections';
    openedAt: string;
    closedAt?: string;
    reason: string;
  };
}
