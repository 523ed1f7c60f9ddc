import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3ObjectStore } from '@lightbox/storage';
import { demoPath, eventually } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../support/api-types.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Issue 16: webhook subscribers and S3 inboxes changed by an admin while the stack runs (separate
 * API, worker and ingest processes) take effect within seconds, without a restart: a subscriber
 * added through `/v1/admin/webhooks` gets the next gallery event signed with the secret it was
 * shown once; a deleted one gets nothing more; an inbox added through `/v1/admin/inboxes` is polled.
 */
describe('runtime settings on the real stack', () => {
  let stack: StackUnderTest;
  let receiver: Server;
  let url: string;
  let inbox: S3ObjectStore;
  const received: Received[] = [];
  const api = stackApi(() => stack);
  const admin = (path: string, method: string, body?: unknown) =>
    api(path, {
      method,
      token: stack.adminToken,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    stack = await startStackProcess({
      LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      LIGHTBOX_SETTINGS_POLL_MS: '500',
      LIGHTBOX_S3_INBOX_POLL_MS: '300',
    });
    inbox = new S3ObjectStore({ ...stack.s3, region: 'us-east-1' });
  });
  afterAll(async () => {
    inbox?.destroy();
    await stack?.destroy();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('a subscriber added at run time gets the next gallery event, signed with the secret shown once', async () => {
    const created = await admin('/v1/admin/webhooks', 'POST', {
      id: 'cms',
      url,
      events: ['gallery.published', 'gallery.updated'],
    });
    expect(created.status).toBe(201);
    const { secret } = await json<{ secret: string }>(created);
    const listed = await (await admin('/v1/admin/webhooks', 'GET')).text();
    expect(listed).toContain('"id":"cms"');
    expect(listed).not.toContain(secret);

    const story = await json<{ id: string }>(await registerDemoStory(stack));
    const push = await api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg' },
      body: await readFile(demoPath('wire/OLY_CLOSING_01.jpg')),
    });
    expect(push.status).toBe(202);
    const delivery = await eventually(async () => received.find((r) => r.body.includes(story.id)), 90_000);
    const signature = String(delivery.headers['lightbox-signature']);
    const t = signature.match(/t=(\d+)/)?.[1];
    const expected = createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex');
    expect(signature).toContain(`v1=${expected}`);
  });

  it('a deleted subscriber gets nothing more; an inbox added at run time is polled', async () => {
    expect((await admin('/v1/admin/webhooks/cms', 'DELETE')).status).toBe(204);
    const created = await admin('/v1/admin/inboxes', 'POST', {
      feed: 'afp',
      bucket: stack.s3.bucket,
      prefix: 'drop/afp',
    });
    expect(created.status).toBe(201);
    await inbox.put('drop/afp/OLY_CLOSING_02.jpg', await readFile(demoPath('wire/OLY_CLOSING_02.jpg')), {
      contentType: 'image/jpeg',
    });
    const processed = await eventually(
      async () => (await inbox.list('drop/afp/_processed/')).find((k) => k.endsWith('OLY_CLOSING_02.jpg')),
      60_000,
    );
    expect(processed).toBeDefined();
    // The photo reached its gallery (a new version of the gallery) — and the deleted subscriber heard nothing.
    const before = received.length;
    await eventually(async () => {
      const res = await api('/v1/photos?q=&limit=50', { token: stack.editorToken });
      const found = await json<{ photos: { status: string; filename: string | null }[] }>(res);
      return found.photos.some((p) => p.filename === 'OLY_CLOSING_02.jpg' && p.status === 'published');
    }, 60_000);
    expect(received.length).toBe(before);
    const trail = await (await admin('/v1/admin/webhooks', 'GET')).json();
    expect(trail).toEqual([]);
  });
});
