import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressProblem } from '@lightbox/config';
import type { WebhookBody, WebhookSubscriber } from '@lightbox/contracts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.js';
import { currentSubscribers, type Subscribers } from './webhook-notifier.js';

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

/** Resolves a host name to every address it has (`dns.lookup` by default; tests put in their own). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

export interface WebhookSenderOptions {
  /** Internal ranges subscribers may resolve to (`LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS`). */
  allowedNetworks?: string[];
  resolve?: Resolve;
}

/**
 * POSTs signed webhook bodies. Each attempt is signed afresh (its own timestamp). The subscriber's
 * name is resolved at every attempt and every address is checked (`addressProblem`); the
 * connection goes to the address that was checked, so a name cannot be rebound to an internal
 * address between check and connect. Redirects are not followed: a 3xx is a failed delivery.
 */
export class WebhookSender {
  private readonly allowedNetworks: string[];
  private readonly resolve: Resolve;

  constructor(
    private readonly subscribers: Subscribers,
    private readonly timeoutMs: number,
    options: WebhookSenderOptions = {},
  ) {
    this.allowedNetworks = options.allowedNetworks ?? [];
    this.resolve = options.resolve ?? systemResolve;
  }

  /**
   * The subscriber as it is now (its URL and secret may have changed since the job was queued), or
   * undefined when it was removed since.
   */
  subscriber(id: string): WebhookSubscriber | undefined {
    return currentSubscribers(this.subscribers).find((s) => s.id === id);
  }

  /** `lookup` for the socket: resolves, refuses if any address is off limits, connects to a checked one. */
  private guardedLookup(url: URL): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        (addresses) => {
          const refused = addresses.map((a) => addressProblem(a.address, this.allowedNetworks)).find(Boolean);
          if (refused || addresses.length === 0) {
            const err = new WebhookDeliveryError(
              `POST ${url} refused: ${hostname} resolves to ${addresses.map((a) => a.address).join(', ') || 'nothing'}${refused ? ` (${refused})` : ''}`,
            );
            callback(err as NodeJS.ErrnoException, '', 4);
            return;
          }
          const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
          const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
          if (options.all) callback(null, usable);
          else callback(null, usable[0]?.address ?? '', usable[0]?.family ?? 4);
        },
        (err: NodeJS.ErrnoException) => callback(err, '', 4),
      );
    };
  }

  private post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(literal)) {
        const problem = addressProblem(literal, this.allowedNetworks);
        if (problem) return reject(new WebhookDeliveryError(`POST ${url} refused: ${problem}`));
      }
      const options: RequestOptions = {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: this.guardedLookup(url),
        signal: AbortSignal.timeout(this.timeoutMs),
        agent: false,
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, options, (res) => {
        res.resume(); // the answer's body is not needed
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async deliver(subscriber: WebhookSubscriber, body: string, deliveryId: string): Promise<DeliveryResult> {
    const started = Date.now();
    const type = (JSON.parse(body) as WebhookBody).type;
    let status: number;
    try {
      status = await this.post(
        new URL(subscriber.url),
        {
          'content-type': 'application/json',
          'user-agent': 'Lightbox-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(subscriber.secret, body, Math.floor(Date.now() / 1000)),
          [DELIVERY_HEADER]: deliveryId,
          [EVENT_HEADER]: type,
        },
        body,
      );
    } catch (err) {
      if (err instanceof WebhookDeliveryError) throw err;
      if ((err as Error).cause instanceof WebhookDeliveryError) throw (err as Error).cause;
      const cause =
        (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError'
          ? `no answer within ${this.timeoutMs} ms`
          : (err as Error).message;
      throw new WebhookDeliveryError(`POST ${subscriber.url} failed: ${cause}`);
    }
    if (status < 200 || status >= 300)
      throw new WebhookDeliveryError(`POST ${subscriber.url} answered ${status}`, status);
    return { status, ms: Date.now() - started };
  }
}
