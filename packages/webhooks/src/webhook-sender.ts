import type { WebhookBody, WebhookSubscriber } from '@lightbox/contracts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.js';

/** A delivery that did not get a 2xx: thrown so that the queue retries it with backoff. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface DeliveryResult {
  status: number;
  ms: number;
}

/** POSTs signed webhook bodies. Each attempt is signed afresh (its own timestamp). */
export class WebhookSender {
  private readonly byId: Map<string, WebhookSubscriber>;

  constructor(
    subscribers: WebhookSubscriber[],
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.byId = new Map(subscribers.map((s) => [s.id, s]));
  }

  /** The subscriber, or undefined when it was removed from configuration since the job was queued. */
  subscriber(id: string): WebhookSubscriber | undefined {
    return this.byId.get(id);
  }

  async deliver(subscriber: WebhookSubscriber, body: string, deliveryId: string): Promise<DeliveryResult> {
    const started = Date.now();
    const type = (JSON.parse(body) as WebhookBody).type;
    let response: Response;
    try {
      response = await this.fetchImpl(subscriber.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Lightbox-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(subscriber.secret, body, Math.floor(Date.now() / 1000)),
          [DELIVERY_HEADER]: deliveryId,
          [EVENT_HEADER]: type,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (err as Error).message;
      throw new WebhookDeliveryError(`POST ${subscriber.url} failed: ${cause}`);
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status >= 300)
      throw new WebhookDeliveryError(`POST ${subscriber.url} answered ${response.status}`, response.status);
    return { status: response.status, ms: Date.now() - started };
  }
}
