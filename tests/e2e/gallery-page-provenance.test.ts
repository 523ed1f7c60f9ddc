import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { type GalleryManifest, galleryManifestSchema, type ManifestPhoto } from '@lightbox/contracts';
import { REPO_ROOT } from '@lightbox/test-infra';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, waitInPage } from '../support/browser.js';

/**
 * The example downstream page with the provenance fields of a manifest: sensitive photos blurred
 * until revealed, the AI label, the original's Content Credentials. Page, manifest and images are
 * served from one loopback server (same origin), no pipeline needed.
 */
const PAGE_DIR = join(REPO_ROOT, 'examples', 'gallery-page');
const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const NO_RIGHTS = {
  copyright: null,
  copyrightOwners: [],
  usageTerms: null,
  webStatement: null,
  licensorUrl: null,
  dataMining: null,
  modelReleaseStatus: null,
  propertyReleaseStatus: null,
};

const entry = (id: string, caption: string, extra: Partial<ManifestPhoto> = {}): ManifestPhoto => ({
  photoId: id,
  caption,
  credit: 'REUTERS/Jane Doe',
  byline: 'Jane Doe',
  dateCreated: '2024-09-29T21:00:00+02:00',
  width: 600,
  height: 400,
  alt: caption,
  placeholder: null,
  restrictions: [],
  renditions: [
    {
      name: 'large',
      key: `renditions/${id}/large.jpg`,
      url: `/img/${id}.jpg`,
      width: 600,
      height: 400,
      format: 'jpeg',
      bytes: 1000,
    },
  ],
  alternates: [],
  provenance: null,
  digitalSourceType: null,
  rights: NO_RIGHTS,
  distributor: null,
  sensitive: false,
  sensitiveReason: null,
  expiresAt: null,
  ...extra,
});

const manifest: GalleryManifest = galleryManifestSchema.parse({
  schemaVersion: 1,
  storyId: 'st_prov',
  slug: 'provenance',
  headline: 'Provenance on the page',
  version: 1,
  updatedAt: '2024-09-29T22:00:00.000Z',
  cover: 'signed',
  final: false,
  photos: [
    entry('signed', 'A signed photo.', {
      provenance: {
        state: 'valid',
        trusted: true,
        signer: 'Reuters',
        appliesTo: 'original',
        manifestStoreUrl: '/provenance/signed.c2pa',
      },
    }),
    entry('graphic', 'A wounded man is carried from the rubble.', {
      sensitive: true,
      sensitiveReason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"',
    }),
    entry('ai', 'An illustration of the stadium.', {
      digitalSourceType: {
        uri: `${DST}trainedAlgorithmicMedia`,
        code: 'trainedAlgorithmicMedia',
        label: 'AI-generated',
      },
      provenance: {
        state: 'invalid',
        trusted: false,
        signer: null,
        appliesTo: 'original',
        manifestStoreUrl: null,
      },
    }),
  ],
});

describe('example gallery page: sensitive, AI label, Content Credentials', () => {
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const images = new Map<string, Buffer>();
    for (const [id, colour] of [
      ['signed', '#3a6ea5'],
      ['graphic', '#c0392b'],
      ['ai', '#8e44ad'],
    ] as const)
      images.set(
        `/img/${id}.jpg`,
        await sharp({ create: { width: 600, height: 400, channels: 3, background: colour } })
          .jpeg()
          .toBuffer(),
      );
    server = createServer(async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/manifest.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(manifest));
      } else if (images.has(path)) {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(images.get(path));
      } else if (path.startsWith('/page/')) {
        const file = normalize(join(PAGE_DIR, path.slice('/page/'.length) || 'index.html'));
        if (!file.startsWith(PAGE_DIR)) return void res.writeHead(404).end();
        const type = file.endsWith('.js')
          ? 'text/javascript'
          : file.endsWith('.css')
            ? 'text/css'
            : 'text/html';
        try {
          res.writeHead(200, { 'content-type': type }).end(await readFile(file));
        } catch {
          res.writeHead(404).end();
        }
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('blurs the sensitive photo until the reader reveals it; labels AI; states the credentials', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/page/index.html?manifest=${encodeURIComponent(`${base}/manifest.json`)}&poll=0`);
    await page.waitForSelector('figure[data-photo-id="graphic"]');
    await waitInPage(
      page,
      "[...document.querySelectorAll('figure img')].every((i) => i.complete && i.naturalWidth > 0)",
    );

    const graphic = page.locator('figure[data-photo-id="graphic"]');
    const filterOf = (id: string) =>
      page.evaluate(`getComputedStyle(document.querySelector('figure[data-photo-id="${id}"] img')).filter`);
    expect(await filterOf('graphic')).toMatch(/^blur\(/);
    expect(await filterOf('signed')).toBe('none');
    expect(await graphic.locator('.reveal').textContent()).toContain('GRAPHIC CONTENT');

    expect(await page.locator('figure[data-photo-id="ai"] .source-label').textContent()).toBe('AI-generated');
    expect(await page.locator('figure[data-photo-id="signed"] .source-label').count()).toBe(0);

    expect(await page.locator('figure[data-photo-id="signed"] .credentials').textContent()).toBe(
      'Content Credentials of the original: signed by Reuters · manifest',
    );
    expect(await page.locator('figure[data-photo-id="signed"] .credentials a').getAttribute('href')).toBe(
      '/provenance/signed.c2pa',
    );
    expect(await page.locator('figure[data-photo-id="ai"] .credentials').textContent()).toBe(
      'Content Credentials of the original could not be verified',
    );
    await page.screenshot({
      path: join(REPO_ROOT, 'tests', 'test-output', 'gallery-page-provenance.png'),
      fullPage: true,
    });

    await graphic.locator('.reveal').click();
    expect(await filterOf('graphic')).toBe('none');
    expect(await graphic.locator('.reveal').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
