import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  type GalleryIndex,
  type GalleryManifest,
  galleryIndexSchema,
  galleryManifestSchema,
  stageIsIdle,
  type WebhookBody,
} from '@lightbox/contracts';
import { demoPath, eventually } from '@lightbox/test-infra';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Browser } from 'playwright-core';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type PhotoView, type QueueView } from '../support/api-types.js';
import { launchChromium, waitInPage } from '../support/browser.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';
import { verifyWebhook } from '../support/webhook-signature.js';

const SECRET = 'e2e-webhook-secret-0123456789';

interface Expected {
  ceremonyFiles: string[];
  distractorFiles: string[];
}

describe('matching and galleries on the real stack: late story, feeds, webhooks, example page', () => {
  let stack: StackUnderTest;
  let receiver: Server;
  let browser: Browser;
  let expected: Expected;
  let storyId: string;
  const ids = new Map<string, string>();
  const deliveries: { headers: IncomingHttpHeaders; body: string }[] = [];

  const api = stackApi(() => stack);
  const idle = async () =>
    (await json<QueueView[]>(api('/v1/queues', { token: stack.editorToken }))).every(stageIsIdle);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    expected = JSON.parse(await readFile(demoPath('expected.json'), 'utf8'));
    [stack, browser] = await Promise.all([
      startStackProcess({
        LIGHTBOX_WEBHOOKS: JSON.stringify([{ id: 'site', url: hook, secret: SECRET }]),
        // The receiver is on this machine: loopback must be allowed explicitly.
        LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.destroy();
    await new Promise<void>((r) => receiver?.close(() => r()));
  });

  it('takes the wire set before the story exists: nothing is published, nothing is lost', async () => {
    const files = (await readdir(demoPath('wire'))).sort();
    for (const file of files) {
      const res = await api('/v1/photos', {
        method: 'POST',
        token: stack.feedKey,
        headers: { 'content-type': 'image/jpeg', 'x-filename': file },
        body: await readFile(demoPath(`wire/${file}`)),
      });
      expect(res.status).toBe(202);
      ids.set(file, (await json<{ photoId: string }>(res)).photoId);
    }
    await eventually(idle, 120_000, 250);
    for (const file of expected.ceremonyFiles) {
      const photo = await json<PhotoView>(api(`/v1/photos/${ids.get(file)}`, { token: stack.editorToken }));
      expect(['unmatched', 'review']).toContain(photo.status);
    }
  });

  it('re-matches them when the story is registered late, and publishes the gallery', async () => {
    const res = await registerDemoStory(stack);
    expect(res.status).toBe(201);
    storyId = (await json<{ id: string }>(res)).id;
    const manifest = await eventually(
      async () => {
        const g = await api(`/v1/galleries/${storyId}`);
        if (g.status !== 200) return undefined;
        const m = galleryManifestSchema.parse(await g.json());
        const shown = m.photos.length + m.photos.reduce((n, p) => n + p.alternates.length, 0);
        return shown === expected.ceremonyFiles.length && (await idle()) ? m : undefined;
      },
      120_000,
      250,
    );
    const all = manifest.photos.flatMap((p) => [p.photoId, ...p.alternates.map((a) => a.photoId)]);
    expect(all.sort()).toEqual(expected.ceremonyFiles.map((f) => ids.get(f)).sort());
    expect(manifest).toMatchObject({ schemaVersion: 1, final: false, cover: manifest.photos[0]?.photoId });
    for (const p of manifest.photos) {
      expect(p.alt).toBeTruthy();
      expect(p.alt?.length).toBeLessThanOrEqual(250);
      expect(p.caption?.startsWith(p.alt?.replace(/…$/, '') ?? '')).toBe(true);
      expect(p.placeholder?.thumbhash).toBeTruthy();
    }
  });

  it('explains decisions: a distractor shows its candidates and reasons', async () => {
    const street = expected.distractorFiles.find((f) => f.includes('STREET')) ?? expected.distractorFiles[0];
    const photo = await json<PhotoView & { match: { candidates: { storyId: string; reasons: string[] }[] } }>(
      api(`/v1/photos/${ids.get(street as string)}`, { token: stack.editorToken }),
    );
    expect(photo.status).not.toBe('matched');
    expect(photo.match?.reasons.length).toBeGreaterThan(0);
  });

  it('publishes feeds that validate (JSON Feed 1.1 schema, RSS through a real parser) and the index', async () => {
    const ajv = new AjvModule.default({ allErrors: true, strict: false });
    addFormatsModule.default(ajv);
    const schema = JSON.parse(
      await readFile(createRequire(import.meta.url).resolve('jsonfeed-schema/schema-v1.1.json'), 'utf8'),
    );
    const validate = ajv.compile(schema);
    const feed = await json<{ items: { id: string; image: string }[] }>(
      api(`/v1/galleries/${storyId}/feed.json`),
    );
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true);
    const manifest = await json<GalleryManifest>(api(`/v1/galleries/${storyId}`));
    expect(feed.items.map((i) => i.id)).toEqual(manifest.photos.map((p) => p.photoId));

    const rss = await new Parser({
      customFields: {
        item: [
          ['media:group', 'group'],
          ['media:credit', 'credits', { keepArray: true }],
        ],
      },
    }).parseString(await (await api(`/v1/galleries/${storyId}/feed.xml`)).text());
    expect(rss.items).toHaveLength(manifest.photos.length);
    const first = rss.items[0] as unknown as {
      group: { 'media:content': { $: { url: string } }[] };
      credits: { _: string }[];
    };
    expect(first.group['media:content'].length).toBe(manifest.photos[0]?.renditions.length);
    expect(first.credits.map((c) => c._)).toContain(manifest.photos[0]?.credit);

    const index = galleryIndexSchema.parse(await json<GalleryIndex>(api('/v1/galleries')));
    expect(index.galleries[0]).toMatchObject({ storyId, photoCount: manifest.photos.length });
    // The index points at the manifest in object storage; it is readable there, with its ETag.
    const direct = await fetch(index.galleries[0]?.url as string);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('etag')).toBeTruthy();
    expect(direct.headers.get('cache-control')).toMatch(/max-age/);
  });

  it('answers conditional GETs with 304', async () => {
    const first = await api(`/v1/galleries/${storyId}`);
    const etag = first.headers.get('etag') as string;
    const again = await api(`/v1/galleries/${storyId}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('signs webhooks for the published gallery', async () => {
    const published = await eventually(async () =>
      deliveries.find((d) => (JSON.parse(d.body) as WebhookBody).type === 'gallery.published'),
    );
    expect(verifyWebhook(SECRET, published.headers['lightbox-signature'] as string, published.body)).toBe(
      true,
    );
    const body = JSON.parse(published.body) as WebhookBody;
    expect(body.data).toMatchObject({ storyId, version: 1 });
    expect(published.headers['lightbox-delivery']).toBe(body.id);
  });

  it('the example downstream page renders the gallery from its object-storage URL', async () => {
    const index = await json<GalleryIndex>(api('/v1/galleries'));
    const manifestUrl = index.galleries[0]?.url as string;
    const manifest = await json<GalleryManifest>(fetch(manifestUrl));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.apiUrl}/examples/gallery-page/?manifest=${encodeURIComponent(manifestUrl)}`);
    await page.waitForSelector('figure');
    expect(await page.locator('h1').textContent()).toBe(manifest.headline);
    expect(await page.locator('figure').count()).toBe(manifest.photos.length);
    const cover = page.locator('figure').first();
    expect(await cover.getAttribute('data-photo-id')).toBe(manifest.cover);
    const img = cover.locator('img').first();
    expect(await img.getAttribute('srcset')).toMatch(/ 2048w/);
    expect(await img.getAttribute('alt')).toBe(
      manifest.photos.find((p) => p.photoId === manifest.cover)?.alt,
    );
    // Browser-side checks as expressions (the tests compile without DOM types).
    await waitInPage(
      page,
      "(() => { const i = document.querySelector('figure img'); return i && i.complete && i.naturalWidth > 0; })()",
    );
    const frameBg = await page.evaluate(
      "getComputedStyle(document.querySelector('figure .frame')).backgroundImage",
    );
    expect(frameBg).toMatch(/^url\("data:image\/png/);
    const text = await page.locator('main').textContent();
    for (const p of manifest.photos) if (p.credit) expect(text).toContain(p.credit);
    expect(text).toContain('Tom Cruise');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the example page on Lightbox’s origin refuses a manifest from another origin (issue 12, finding 7)', async () => {
    let forgedRequests = 0;
    const forged = createServer((_req, res) => {
      forgedRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(
        JSON.stringify({
          schemaVersion: 1,
          version: 1,
          headline: 'FORGED',
          updatedAt: new Date().toISOString(),
          final: false,
          photos: [],
        }),
      );
    });
    await new Promise<void>((r) => forged.listen(0, '127.0.0.1', r));
    // 127.0.0.1 on another port: another origin, as any site on the internet would be.
    const forgedUrl = `http://127.0.0.1:${(forged.address() as AddressInfo).port}/gallery.json`;
    const page = await browser.newPage();
    try {
      await page.goto(
        `${stack.apiUrl}/examples/gallery-page/?manifest=${encodeURIComponent(forgedUrl)}&poll=0`,
      );
      await page.waitForSelector('.status.error');
      expect(await page.locator('.status.error').textContent()).toMatch(/only shows galleries from/);
      expect(await page.locator('h1').count()).toBe(0);
      expect(await page.locator('main').textContent()).not.toContain('FORGED');
      expect(forgedRequests).toBe(0);
      // A page config that lists the origin lets it through: the allow-list is the page's own.
      const served = await (await fetch(`${stack.apiUrl}/examples/gallery-page/`)).text();
      expect(served).toMatch(/<meta name="lightbox-manifest-origins" content="http:\/\/127\.0\.0\.1:\d+"/);
    } finally {
      await page.close();
      await new Promise<void>((r) => forged.close(() => r()));
    }
  });

  it('closing the story makes the gallery final, and the page shows it', async () => {
    const res = await api(`/v1/stories/${storyId}/close`, { method: 'POST', token: stack.editorToken });
    expect((await json<{ status: string }>(res)).status).toBe('closed');
    await eventually(
      async () => (await json<GalleryManifest>(api(`/v1/galleries/${storyId}`))).final,
      30_000,
    );
    const page = await browser.newPage();
    await page.goto(`${stack.apiUrl}/examples/gallery-page/?manifest=/v1/galleries/${storyId}&poll=0`);
    await page.waitForSelector('.final');
    await page.close();
    const updated = await eventually(async () =>
      deliveries
        .map((d) => JSON.parse(d.body) as WebhookBody)
        .find((b) => b.type === 'gallery.updated' && (b.data as { final: boolean }).final),
    );
    expect(updated.data).toMatchObject({ storyId, final: true });
  });
});
