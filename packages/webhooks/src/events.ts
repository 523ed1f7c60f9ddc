import { createHash, randomBytes } from 'node:crypto';
import type { GalleryEventData, GalleryManifest, WebhookBody, WebhookEvent } from '@lightbox/contracts';

export function newEventId(): string {
  return `evt_${randomBytes(12).toString('hex')}`;
}

/**
 * A feed health event's id: the same for the same incident and type, so however often the check
 * finds it, subscribers get it once.
 */
export function feedEventId(incidentId: string, type: WebhookEvent): string {
  return `evt_${createHash('sha256').update(`${incidentId}|${type}`).digest('hex').slice(0, 24)}`;
}

/** `gallery.published` for a gallery's first version, `gallery.updated` after that. */
export function galleryEventType(manifest: GalleryManifest): WebhookEvent {
  return manifest.version === 1 ? 'gallery.published' : 'gallery.updated';
}

export function galleryEventData(
  manifest: GalleryManifest,
  urls: { manifest: string; jsonFeed: string; rssFeed: string },
): GalleryEventData {
  return {
    storyId: manifest.storyId,
    slug: manifest.slug,
    headline: manifest.headline,
    version: manifest.version,
    photoCount: manifest.photos.length,
    final: manifest.final,
    url: urls.manifest,
    feeds: { json: urls.jsonFeed, rss: urls.rssFeed },
  };
}

/** The exact JSON text POSTed (signed as is). */
export function webhookBody(
  type: WebhookEvent,
  data: WebhookBody['data'],
  { id = newEventId(), now = new Date() } = {},
): { id: string; body: string } {
  const body: WebhookBody = { id, type, createdAt: now.toISOString(), data };
  return { id, body: JSON.stringify(body) };
}
