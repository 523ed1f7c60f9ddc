import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookSubscriber } from '@lightbox/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookDeliveryError, WebhookSender, webhookBody } from '../src/index.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('WebhookSender against a real HTTP receiver', () => {
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let answer = 200;
  let delayMs = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        setTimeout(() => res.writeHead(answer).end('ok'), delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const subscriber = (): WebhookSubscriber => ({
    id: 'site',
    url,
    secret: 'a-secret-of-sufficient-length',
    events: ['gallery.updated'],
  });

  it('POSTs the body as is, signed, with delivery and event headers', async () => {
    answer = 204;
    const { id, body } = webhookBody('photo.killed', {
      photoId: 'ph_1',
      storyId: 'st_1',
      reason: 'wrong caption',
      killedAt: '2024-08-12T00:00:00Z',
    });
    const sender = new WebhookSender([subscriber()], 2000);
    expect((await sender.deliver(subscriber(), body, id)).status).toBe(204);
    const got = received.at(-1) as Received;
    expect(got.body).toBe(body);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['lightbox-delivery']).toBe(id);
    expect(got.headers['lightbox-event']).toBe('photo.killed');
    expect(verifyWebhook(subscriber().secret, got.headers['lightbox-signature'] as string, got.body).ok).toBe(
      true,
    );
  });

  it('throws on non-2xx, on timeouts and on refused connections', async () => {
    const sender = new WebhookSender([subscriber()], 300);
    const { id, body } = webhookBody('gallery.updated', {
      storyId: 'st',
      slug: 's',
      headline: 'h',
      version: 2,
      photoCount: 1,
      final: false,
      url: 'u',
      feeds: { json: 'j', rss: 'r' },
    });
    answer = 503;
    await expect(sender.deliver(subscriber(), body, id)).rejects.toMatchObject({ status: 503 });
    answer = 200;
    delayMs = 1000;
    await expect(sender.deliver(subscriber(), body, id)).rejects.toThrow(/no answer within 300 ms/);
    delayMs = 0;
    const closed = { ...subscriber(), url: 'http://127.0.0.1:1/' };
    await expect(sender.deliver(closed, body, id)).rejects.toBeInstanceOf(WebhookDeliveryError);
    expect(sender.subscriber('site')?.url).toBe(url);
    expect(sender.subscriber('gone')).toBeUndefined();
  });
});
