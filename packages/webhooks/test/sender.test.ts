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
    const sender = new WebhookSender([subscriber()], 2000, { allowedNetworks: ['127.0.0.1/32'] });
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
    const sender = new WebhookSender([subscriber()], 300, { allowedNetworks: ['127.0.0.1/32'] });
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

/**
 * Issue 12, finding 6: subscriber URLs to loopback, link-local, private and metadata addresses are
 * refused unless allowed, checked again at every delivery after DNS resolution; redirects are not
 * followed.
 */
describe('WebhookSender refuses internal targets', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  let redirectTo: string | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits += 1;
      req.resume();
      req.on('end', () => {
        if (redirectTo && req.url === '/moved') res.writeHead(307, { location: redirectTo }).end();
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const hook = (url: string): WebhookSubscriber => ({
    id: 'site',
    url,
    secret: 'a-secret-of-sufficient-length',
    events: ['photo.killed'],
  });
  const { id, body } = webhookBody('photo.killed', {
    photoId: 'ph_1',
    storyId: null,
    reason: 'r',
    killedAt: '2024-08-12T00:00:00Z',
  });

  it('refuses loopback, metadata and encoded loopback addresses without connecting', async () => {
    const sender = new WebhookSender([], 1000);
    const before = hits;
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
    ])
      await expect(sender.deliver(hook(url), body, id)).rejects.toThrow(/refused: .*(loopback|metadata)/);
    expect(hits).toBe(before);
  });

  it('resolves names at every delivery and refuses one that now points inside (DNS rebinding)', async () => {
    let answer = '127.0.0.1';
    const resolve = async () => [{ address: answer, family: 4 }];
    const sender = new WebhookSender([], 1000, { allowedNetworks: ['127.0.0.1/32'], resolve });
    const url = `http://hooks.example.test:${port}/hook`;
    const before = hits;
    // The name resolves to an allowed address: delivered there (the name itself is not in DNS).
    expect((await sender.deliver(hook(url), body, id)).status).toBe(204);
    expect(hits).toBe(before + 1);
    // Rebound to another loopback address, then to the metadata service: refused, nothing sent.
    answer = '127.0.0.2';
    await expect(sender.deliver(hook(url), body, id)).rejects.toThrow(/resolves to 127\.0\.0\.2.*loopback/);
    answer = '169.254.169.254';
    await expect(sender.deliver(hook(url), body, id)).rejects.toThrow(/cloud metadata/);
    expect(hits).toBe(before + 1);
  });

  it('refuses a name with any internal address among its answers', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const sender = new WebhookSender([], 1000, { resolve });
    await expect(sender.deliver(hook('http://mixed.example.test/hook'), body, id)).rejects.toThrow(/private/);
  });

  it('does not follow redirects (a 3xx is a failed delivery)', async () => {
    redirectTo = `http://127.0.0.1:${port}/elsewhere`;
    const sender = new WebhookSender([], 1000, { allowedNetworks: ['127.0.0.1/32'] });
    const before = hits;
    await expect(sender.deliver(hook(`http://127.0.0.1:${port}/moved`), body, id)).rejects.toMatchObject({
      status: 307,
    });
    expect(hits).toBe(before + 1);
    redirectTo = undefined;
  });
});
