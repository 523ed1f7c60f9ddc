import type { WebhookBody, WebhookEvent, WebhookSubscriber } from '@lightbox/contracts';
import { jobIdFor, type PipelineQueues } from '@lightbox/queue';
import { webhookBody } from './events.js';

/**
 * The subscribers as they are now: a fixed list, or a function read at each use (runtime settings,
 * which admins change while Lightbox runs).
 */
export type Subscribers = WebhookSubscriber[] | (() => WebhookSubscriber[]);
export const currentSubscribers = (s: Subscribers) => (typeof s === 'function' ? s() : s);

/** Puts one `webhook` job per interested subscriber on the queue; delivery and retries happen there. */
export class WebhookNotifier {
  constructor(
    private readonly queues: PipelineQueues,
    private readonly subscribers: Subscribers,
    /** First retry delay; later ones double (default: the queue's, 5 s). */
    private readonly retryBaseMs?: number,
  ) {}

  /**
   * `eventId` makes the event the same on a repeat (a retried job announcing the same thing): a
   * subscriber then gets it once.
   */
  async notify(type: WebhookEvent, data: WebhookBody['data'], eventId?: string): Promise<string | undefined> {
    const targets = currentSubscribers(this.subscribers).filter((s) => s.events.includes(type));
    if (targets.length === 0) return undefined;
    const { id, body } = webhookBody(type, data, eventId ? { id: eventId } : {});
    await this.queues.addBulk(
      'webhook',
      targets.map((s) => ({
        payload: { subscriber: s.id, body, deliveryId: id },
        options: {
          jobId: jobIdFor(id, s.id),
          ...(this.retryBaseMs
            ? { backoff: { type: 'exponential', delay: this.retryBaseMs, jitter: 0.3 } }
            : {}),
        },
      })),
    );
    return id;
  }
}
