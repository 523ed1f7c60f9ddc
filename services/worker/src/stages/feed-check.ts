import type { FeedEventData } from '@lightbox/contracts';
import type { FeedHealth } from '@lightbox/feed-health';
import type { FeedHealthEvent } from '@lightbox/feed-watch';
import type { Logger } from '@lightbox/logger';
import type { WebhookNotifier } from '@lightbox/webhooks';
import { feedEventId } from '@lightbox/webhooks';

export interface FeedCheckDeps {
  feedHealth: FeedHealth;
  webhooks: WebhookNotifier;
  log: Logger;
}

/** The webhook body's data for a feed health event. */
export function feedEventData(event: FeedHealthEvent): FeedEventData {
  const { id, kind, openedAt, closedAt, reason } = event.incident;
  return { feed: event.feed, incident: { id, kind, openedAt, ...(closedAt ? { closedAt } : {}), reason } };
}

/**
 * The feed health check (a repeating job on the release queue, with the other timers, every
 * `LIGHTBOX_FEED_CHECK_SECONDS`): judges every feed by its counts in Redis and tells subscribers of
 * each incident opened or closed, once (`feed.silent`, `feed.rejecting`, `feed.recovered`; the
 * event id is the incident's, so a repeated check or job queues nothing twice).
 */
export class FeedCheck {
  constructor(private readonly deps: FeedCheckDeps) {}

  async run(): Promise<{ events: number }> {
    const events = await this.deps.feedHealth.check();
    for (const event of events) {
      this.deps.log[event.type === 'feed.recovered' ? 'info' : 'warn'](
        { feed: event.feed, incident: event.incident.id, reason: event.incident.reason },
        event.type,
      );
      await this.deps.webhooks.notify(
        event.type,
        feedEventData(event),
        feedEventId(event.incident.id, event.type),
      );
    }
    return { events: events.length };
  }
}
