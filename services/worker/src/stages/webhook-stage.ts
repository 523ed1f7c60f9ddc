import type { JobPayloads } from '@lightbox/contracts';
import type { Needs } from '../deps.js';

export const WEBHOOK_NEEDS = ['webhookSender', 'log'] as const;

/** webhook: one signed POST to one subscriber; a failure throws, and the queue retries with backoff. */
export class WebhookStage {
  constructor(private readonly deps: Needs<typeof WEBHOOK_NEEDS>) {}

  async handle({ subscriber, body, deliveryId }: JobPayloads['webhook']): Promise<void> {
    const target = this.deps.webhookSender.subscriber(subscriber);
    if (!target) {
      this.deps.log.warn({ subscriber, deliveryId }, 'webhook dropped: subscriber no longer configured');
      return;
    }
    const { status, ms } = await this.deps.webhookSender.deliver(target, body, deliveryId);
    this.deps.log.info({ subscriber, deliveryId, status, ms }, 'webhook delivered');
  }
}
