import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GalleryManifest, type ManifestPhoto, stageIsIdle } from '@lightbox/contracts';
import { S3ObjectStore } from '@lightbox/storage';
import { eventually, fixturePath, REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { exiftool, type WriteTags } from 'exiftool-vendored';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type QueueView } from '../support/api-types.js';
import { launchChromium, waitInPage } from '../support/browser.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
/** Source types of pictures captured from real life: not labelled downstream. */
const CAPTURED = new Set([
  'digitalCapture',
  'computationalCapture',
  'negativeFilm',
  'positiveFilm',
  'print',
  'humanEdits',
  'minorHumanEdits',
  'screenCapture',
]);
const SHOTS = join(REPO_ROOT, 'tests', 'test-output', 'provenance');
const FEEDS = {
  wire: `wire_${randomBytes(8).toString('hex')}`,
  desk: `desk_${randomBytes(8).toString('hex')}`,
  lenient: `lenient_${randomBytes(8).toString('hex')}`,
};

interface Cases {
  images: {
    file: string;
    expect: Record<string, unknown>;
    digitalSourceType?: { code: string; needsReview: boolean };
    graphic?: { match: string | null; words?: string[] };
  }[];
}
interface Accepted {
  photoId: string;
  status: string;
}
interface Detail {
  photoId: string;
  status: string;
  receivedAt: string;
  hold?: string;
  metadata: Record<string, unknown>;
  provenance: {
    state: string;
    trusted: boolean;
    signer?: { organisation?: string };
    actions: string[];
    issues?: { code: string }[];
    digitalSourceType?: string;
    manifestStoreUrl: string | null;
  } | null;
  digitalSourceType: { code: string | null; label: string; needsReview: boolean } | null;
  reviewReason: string | null;
  sensitive: { reason: string } | null;
  expiresAt: string | null;
  licence: Record<string, unknown> | null;
  expired?: { at: string; reason: string };
  renditions: { name: string; url: string }[];
  audit: { actor: string; action: string; detail?: string }[];
}

/**
 * Issue 15 end to end on the real stack (`lightbox start`): the C2PA SDK's own test files and the
 * ExifTool-written fixtures pushed through intake, the pipeline and publication, the expiry sweep,
 * and the dashboard's photo page in chromium.
 */
describe('provenance and rights end to end', () => {
  let stack: StackUnderTest;
  let store: S3ObjectStore;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let browser: Browser;
  let storyId: string;
  const ids = new Map<string, string>();
  let cases: Cases;

  const api = stackApi(() => stack);
  const push = async (file: string, feed: keyof typeof FEEDS = 'wire', bytes?: Buffer) => {
    const res = await api('/v1/photos', {
      method: 'POST',
      token: FEEDS[feed],
      headers: { 'content-type': 'image/jpeg' },
      body: bytes ?? (await readFile(fixturePath(file))),
    });
    expect(res.status, file).toBe(202);
    const accepted = await json<Accepted>(res);
    ids.set(file, accepted.photoId);
    return accepted;
  };
  const pushWithSidecar = async (image: string, sidecar: string) => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(fixturePath(image))], { type: 'image/jpeg' }), 'p.jpg');
    form.append('sidecar', new Blob([await readFile(fixturePath(sidecar))], { type: 'application/xml' }));
    const res = await api('/v1/photos', { method: 'POST', token: FEEDS.wire, body: form });
    expect(res.status).toBe(202);
    const accepted = await json<Accepted>(res);
    ids.set(sidecar, accepted.photoId);
    return accepted;
  };
  const detail = (photoId: string) =>
    json<Detail>(api(`/v1/photos/${photoId}`, { token: stack.editorToken }));
  const of = (file: string) => detail(ids.get(file) as string);
  const assign = async (photoId: string) => {
    const res = await api(`/v1/photos/${photoId}/assign`, {
      method: 'POST',
      token: stack.editorToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ storyId }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const gallery = async () => {
    const res = await api(`/v1/galleries/${storyId}`);
    return res.status === 200 ? json<GalleryManifest>(res) : undefined;
  };
  const shownIds = async () =>
    ((await gallery())?.photos ?? []).flatMap((p) => [p.photoId, ...p.alternates.map((a) => a.photoId)]);
  const entry = async (photoId: string): Promise<ManifestPhoto> =>
    eventually(async () => (await gallery())?.photos.find((p) => p.photoId === photoId), 60_000, 300);
  const idle = async () =>
    (await json<QueueView[]>(api('/v1/queues', { token: stack.editorToken }))).every(stageIsIdle);
  const settled = () =>
    eventually(
      async () => {
        if (!(await idle())) return false;
        await new Promise((r) => setTimeout(r, 300));
        return idle();
      },
      90_000,
      200,
    );
  /** ExifTool's reading of a published rendition, as a downstream site would do it. */
  const renditionTags = async (url: string) => {
    const path = join(work.path, `${randomBytes(6).toString('hex')}.jpg`);
    await writeFile(path, Buffer.from(await (await fetch(url)).arrayBuffer()));
    return (await exiftool.read(path, { readArgs: ['-G1', '-n', '-struct'] })) as unknown as Record<
      string,
      unknown
    >;
  };

  beforeAll(async () => {
    cases = JSON.parse(await readFile(fixturePath('synthetic/cases.json'), 'utf8')) as Cases;
    await mkdir(SHOTS, { recursive: true });
    work = await tempDir();
    receiver = await startWebhookReceiver(['photo.expired'], shownIds);
    const rules = join(work.path, 'feeds.yaml');
    await writeFile(
      rules,
      `version: 1
feeds:
  desk:
    expiry: { expireAfterDays: 30 }
    graphicContent: { words: [sensitive material] }
  lenient:
    invalidCredentials: allow
`,
    );
    [stack, browser] = await Promise.all([
      startStackProcess({
        LIGHTBOX_FEED_KEYS: Object.entries(FEEDS)
          .map(([feed, key]) => `${feed}:${key}`)
          .join(','),
        LIGHTBOX_C2PA_TRUST_ANCHORS: fixturePath('real/c2pa/trust/test_cert_root_bundle.pem'),
        LIGHTBOX_FEED_RULES_FILE: rules,
        LIGHTBOX_EXPIRY_SWEEP_SECONDS: '2',
        LIGHTBOX_WEBHOOKS: JSON.stringify([
          {
            id: 'site',
            url: receiver.url,
            secret: 'provenance-e2e-secret',
          },
        ]),
        LIGHTBOX_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
        // The fixtures share their pixels and have no capture time: no near-duplicate grouping.
        LIGHTBOX_DUPLICATE_WINDOW_MS: '0',
      }),
      launchChromium(),
    ]);
    store = new S3ObjectStore({ ...stack.s3, region: 'us-east-1' });
    storyId = (await json<{ id: string }>(registerDemoStory(stack))).id;
  });
  afterAll(async () => {
    await browser?.close();
    store?.destroy();
    await exiftool.end();
    await stack?.destroy();
    await work?.remove();
    await receiver?.close();
  });

  it('C2PA test files: valid, tampered, bad signature, unknown algorithm, Photoshop AI edit, no manifest', async () => {
    const expected = [
      ['CA.jpg', 'wire', 'received', { state: 'valid', trusted: true }],
      ['C.jpg', 'wire', 'received', { state: 'valid', trusted: true }],
      ['ocsp.jpg', 'wire', 'received', { state: 'valid', trusted: false }],
      ['XCA.jpg', 'wire', 'held', { state: 'invalid', issues: ['assertion.dataHash.mismatch'] }],
      ['no_alg.jpg', 'wire', 'held', { state: 'invalid', issues: ['algorithm.unsupported'] }],
      // From a feed whose rules allow invalid credentials: recorded as invalid, and it carries on.
      ['E-sig-CA.jpg', 'lenient', 'received', { state: 'invalid', issues: ['claimSignature.mismatch'] }],
      ['no_manifest.jpg', 'wire', 'received', { state: 'absent', trusted: false }],
    ] as const;
    for (const [file, feed, status] of expected)
      expect((await push(`real/c2pa/${file}`, feed)).status, file).toBe(status);
    await settled();

    for (const [file, feed, , want] of expected) {
      const p = await of(`real/c2pa/${file}`);
      const { issues, ...rest } = want as { issues?: string[]; state: string };
      expect(p.provenance, file).toMatchObject(rest);
      if (issues)
        expect(
          p.provenance?.issues?.map((i) => i.code),
          file,
        ).toEqual(issues);
      if (rest.state === 'absent') expect(p.provenance?.manifestStoreUrl, file).toBeNull();
      else {
        // The store is kept, and is exactly what the SDK reads as a sidecar.
        const kept = await fetch(p.provenance?.manifestStoreUrl as string);
        expect(kept.status, file).toBe(200);
        expect(kept.headers.get('content-type')).toBe('application/c2pa');
      }
      if (rest.state === 'invalid' && feed === 'wire') {
        expect(p.status, file).toBe('held');
        expect(p.hold, file).toMatch(/^Content Credentials do not verify/);
        expect(p.renditions, file).toEqual([]); // held photos are not rendered
      }
    }
    expect((await of('real/c2pa/CA.jpg')).provenance?.signer?.organisation).toBe('C2PA Test Signing Cert');
    // Generated or AI-edited: an editor decides; their statements come from the signed manifest.
    const generated = await of('real/c2pa/C.jpg');
    expect(generated.digitalSourceType).toMatchObject({ code: 'algorithmicMedia', needsReview: true });
    expect(generated.reviewReason).toMatch(/^Computer-generated \(algorithmic\)/);
    const photoshop = await of('real/c2pa/ocsp.jpg');
    expect(photoshop.digitalSourceType).toMatchObject({
      code: 'compositeWithTrainedAlgorithmicMedia',
      label: 'AI-edited',
    });
    expect(photoshop.status).not.toBe('matched');
    const lenient = await of('real/c2pa/E-sig-CA.jpg');
    expect(lenient.hold).toBeUndefined();
    expect(lenient.renditions.length).toBeGreaterThan(0);
  });

  it('published by an editor: the manifest states the original’s credentials; renditions keep the source type', async () => {
    for (const file of ['CA.jpg', 'C.jpg', 'XCA.jpg', 'no_manifest.jpg'])
      await assign(ids.get(`real/c2pa/${file}`) as string);
    await settled();
    const signed = await entry(ids.get('real/c2pa/CA.jpg') as string);
    expect(signed.provenance).toMatchObject({
      state: 'valid',
      trusted: true,
      signer: 'C2PA Test Signing Cert',
      appliesTo: 'original',
      manifestStoreUrl: expect.stringMatching(/\/provenance\/[0-9a-f]{64}\.c2pa$/),
    });
    // An editor cleared the tampered one by publishing it: downstream sites see it could not be verified.
    expect((await entry(ids.get('real/c2pa/XCA.jpg') as string)).provenance).toMatchObject({
      state: 'invalid',
      trusted: false,
    });
    expect((await entry(ids.get('real/c2pa/no_manifest.jpg') as string)).provenance).toMatchObject({
      state: 'absent',
      manifestStoreUrl: null,
    });
    const generated = await entry(ids.get('real/c2pa/C.jpg') as string);
    expect(generated.digitalSourceType).toEqual({
      uri: `${DST}algorithmicMedia`,
      code: 'algorithmicMedia',
      label: 'Computer-generated (algorithmic)',
    });
    // The file's XMP says nothing; the signed manifest's statement is written into every rendition.
    const large = generated.renditions.find((r) => r.format === 'jpeg') as { url: string };
    expect((await renditionTags(large.url))['XMP-iptcExt:DigitalSourceType']).toBe(`${DST}algorithmicMedia`);
  });

  it('every digital source type: the four synthetic ones wait for an editor; published, the label travels', async () => {
    const dst = cases.images.filter((c) => c.digitalSourceType);
    for (const c of dst) await push(`synthetic/${c.file}`);
    await settled();
    for (const c of dst) {
      const p = await of(`synthetic/${c.file}`);
      expect(p.metadata.digitalSourceType, c.file).toBe(c.expect.digitalSourceType);
      expect(p.digitalSourceType?.code, c.file).toBe(c.digitalSourceType?.code);
      expect(p.digitalSourceType?.needsReview, c.file).toBe(c.digitalSourceType?.needsReview);
      if (c.digitalSourceType?.needsReview) {
        expect(p.reviewReason, c.file).toMatch(/never published automatically$/);
        expect(['review', 'unmatched'], c.file).toContain(p.status);
      } else expect(p.reviewReason, c.file).toBeNull();
    }
    // The 2025.1 AI fields.
    expect((await of('synthetic/dst/ai-fields.jpg')).metadata).toMatchObject({
      aiSystemUsed: 'Adobe Firefly',
      aiSystemVersionUsed: '3.10',
      aiPromptInformation: 'An Olympic stadium at dusk with fireworks & a crowd',
      aiPromptWriterName: 'Jane Doe',
    });

    for (const c of dst) await assign(ids.get(`synthetic/${c.file}`) as string);
    await settled();
    const manifest = (await gallery()) as GalleryManifest;
    for (const c of dst) {
      const shown = manifest.photos.find((p) => p.photoId === ids.get(`synthetic/${c.file}`));
      expect(shown, c.file).toBeDefined();
      const code = c.digitalSourceType?.code as string;
      if (!CAPTURED.has(code)) expect(shown?.digitalSourceType?.code, c.file).toBe(code);
      else expect(shown?.digitalSourceType, c.file).toBeNull();
    }
    const ai = ids.get('synthetic/dst/trainedAlgorithmicMedia.jpg') as string;
    const feed = await json<{
      items: { id: string; content_text: string; _lightbox: Record<string, unknown> }[];
    }>(api(`/v1/galleries/${storyId}/feed.json`));
    const item = feed.items.find((i) => i.id.includes(ai));
    expect(item?.content_text.startsWith('[AI-generated]')).toBe(true);
    expect(item?._lightbox.digitalSourceType).toMatchObject({ label: 'AI-generated' });
    const rss = await (await api(`/v1/galleries/${storyId}/feed.xml`)).text();
    expect(rss).toContain(
      `<media:category scheme="http://cv.iptc.org/newscodes/digitalsourcetype/" label="AI-generated">${DST}trainedAlgorithmicMedia</media:category>`,
    );
  });

  it('every rights field reaches the record, the manifest and (ExifTool as the reader) each rendition', async () => {
    const rights = cases.images.filter((c) => c.file.startsWith('rights/'));
    for (const c of rights) await push(`synthetic/${c.file}`);
    await settled();
    for (const c of rights)
      expect((await of(`synthetic/${c.file}`)).metadata, c.file).toMatchObject(c.expect);
    // rights/all.jpg also carries an IIM expiry long past: recorded, expired on arrival.
    expect((await of('synthetic/rights/all.jpg')).status).toBe('expired');

    const live = rights.filter((c) => c.file !== 'rights/all.jpg');
    for (const c of live) await assign(ids.get(`synthetic/${c.file}`) as string);
    await settled();
    const XMP: Record<string, (t: Record<string, unknown>) => unknown> = {
      dataMining: (t) => t['XMP-plus:DataMining'],
      copyrightOwners: (t) =>
        (t['XMP-plus:CopyrightOwner'] as { CopyrightOwnerName: string }[] | undefined)?.map(
          (o) => o.CopyrightOwnerName,
        ),
      licensorUrl: (t) => (t['XMP-plus:Licensor'] as { LicensorURL: string }[] | undefined)?.[0]?.LicensorURL,
      webStatement: (t) => t['XMP-xmpRights:WebStatement'],
      usageTerms: (t) => t['XMP-xmpRights:UsageTerms'],
      modelReleaseStatus: (t) => t['XMP-plus:ModelReleaseStatus'],
      propertyReleaseStatus: (t) => t['XMP-plus:PropertyReleaseStatus'],
    };
    for (const c of live) {
      const shown = await entry(ids.get(`synthetic/${c.file}`) as string);
      for (const [field, value] of Object.entries(c.expect)) {
        if (field === 'distributor') expect(shown.distributor, c.file).toBe(value);
        else if (field in shown.rights)
          expect(shown.rights[field as keyof ManifestPhoto['rights']], `${c.file} ${field}`).toEqual(value);
      }
      for (const r of shown.renditions) {
        const tags = await renditionTags(r.url);
        for (const [field, value] of Object.entries(c.expect))
          if (XMP[field]) expect(XMP[field]?.(tags), `${c.file} ${r.name} ${field}`).toEqual(value);
      }
    }
  });

  it('each expiry source: the agency’s (IIM, NewsML-G2 expires and validto) and the feed’s rule', async () => {
    expect((await push('synthetic/expiry/iim-date.jpg')).status).toBe('expired');
    expect((await push('synthetic/expiry/iim-date-time.jpg')).status).toBe('expired');
    expect(
      (await pushWithSidecar('synthetic/expiry/feed-rule.jpg', 'synthetic/expiry/newsml-expires.xml')).status,
    ).toBe('expired');
    expect(
      (await pushWithSidecar('synthetic/expiry/feed-rule.jpg', 'synthetic/expiry/newsml-validto.xml')).status,
    ).toBe('expired');
    const byRule = await push('synthetic/expiry/feed-rule.jpg', 'desk');
    expect(byRule.status).toBe('received');
    await settled();
    expect(await of('synthetic/expiry/iim-date.jpg')).toMatchObject({
      status: 'expired',
      expiresAt: '2024-09-30T10:00:00.000Z',
      licence: { iim: '2024-09-30' },
      renditions: [],
    });
    expect((await of('synthetic/expiry/iim-date-time.jpg')).expiresAt).toBe('2024-09-30T16:00:00.000Z');
    expect(await of('synthetic/expiry/newsml-expires.xml')).toMatchObject({
      expiresAt: '2024-09-15T00:00:00.000Z',
      licence: { newsml: '2024-09-15T00:00:00Z' },
    });
    expect((await of('synthetic/expiry/newsml-validto.xml')).expiresAt).toBe('2024-09-10T10:00:00.000Z');
    for (const file of ['iim-date.jpg', 'newsml-expires.xml']) {
      const p = await of(`synthetic/expiry/${file}`);
      expect(p.expired?.reason, file).toMatch(/^agency expiry/);
      expect(
        p.audit.map((a) => a.action),
        file,
      ).toContain('photo.expired');
    }
    const ruled = await detail(byRule.photoId);
    expect(ruled.licence).toEqual({ feedRule: { expireAfterDays: 30, applies: 'unpublished' } });
    expect(Date.parse(ruled.expiresAt as string) - Date.parse(ruled.receivedAt)).toBe(30 * 24 * 3600_000);
  });

  it('a published photo whose licence runs out leaves the gallery and storage, then subscribers hear photo.expired', async () => {
    const path = join(work.path, 'expiring.jpg');
    await copyFile(fixturePath('synthetic/expiry/feed-rule.jpg'), path);
    const at = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000);
    const iso = at.toISOString();
    await exiftool.write(
      path,
      {
        'IPTC:ExpirationDate': `${iso.slice(0, 4)}:${iso.slice(5, 7)}:${iso.slice(8, 10)}`,
        'IPTC:ExpirationTime': `${iso.slice(11, 19)}+00:00`,
        'IPTC:Caption-Abstract': 'A licence that runs out in half a minute',
      } as WriteTags,
      { writeArgs: ['-overwrite_original'] },
    );
    const { photoId } = await push('expiring', 'wire', await readFile(path));
    await settled();
    expect((await detail(photoId)).expiresAt).toBe(iso.replace(/\.\d{3}Z$/, '.000Z'));
    await assign(photoId);
    const shown = await entry(photoId);
    expect(shown.expiresAt).toBe(iso);
    expect(Date.now()).toBeLessThan(at.getTime()); // published before the licence ran out

    const event = await eventually(
      async () => receiver.deliveries.find((d) => d.type === 'photo.expired' && d.photoId === photoId),
      60_000,
      250,
    );
    expect(event.inGallery).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
    const p = await detail(photoId);
    expect(p).toMatchObject({ status: 'expired', renditions: [] });
    expect(p.audit).toContainEqual(expect.objectContaining({ actor: 'system', action: 'photo.expired' }));
    expect(await store.list(`renditions/${photoId}/`)).toEqual([]);
    expect(await shownIds()).not.toContain(photoId);
  });

  it('each graphic-content form marks the photo sensitive (whole words: Portsmouth stays plain)', async () => {
    const graphic = cases.images.filter((c) => c.graphic);
    for (const c of graphic) await push(`synthetic/${c.file}`, c.graphic?.words ? 'desk' : 'wire');
    await settled();
    for (const c of graphic) {
      const p = await of(`synthetic/${c.file}`);
      if (c.graphic?.match === null) expect(p.sensitive, c.file).toBeNull();
      else expect(p.sensitive?.reason, c.file).toContain(`"${c.graphic?.match}"`);
    }
    const flagged = ids.get('synthetic/graphic/instructions-graphic-content.jpg') as string;
    await assign(flagged);
    await assign(ids.get('synthetic/graphic/portsmouth.jpg') as string);
    expect(await entry(flagged)).toMatchObject({
      sensitive: true,
      sensitiveReason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"',
    });
    expect((await entry(ids.get('synthetic/graphic/portsmouth.jpg') as string)).sensitive).toBe(false);
  });

  it('the dashboard photo page shows the credentials and labels, and blurs graphic pictures until revealed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
    const page: Page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.apiUrl}/login`);
    await page.fill('#token', stack.editorToken);
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:has-text("Overview")');
    const open = async (file: string) => {
      await page.goto(`${stack.apiUrl}/dashboard/photos/${ids.get(file)}`);
      await page.waitForSelector('#h-prov');
    };
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim();

    await open('real/c2pa/CA.jpg');
    expect(await text('.credentials')).toMatch(
      /^Content Credentials verified: signed by C2PA Test Signing Cert, on the newsroom’s trust list · manifest store$/,
    );
    expect(await page.locator('.credentials a').getAttribute('href')).toMatch(
      /\/provenance\/[0-9a-f]{64}\.c2pa$/,
    );
    expect(await text('.provenance')).toContain('c2pa.opened, c2pa.color_adjustments');
    await shot('valid-trusted');

    await open('real/c2pa/ocsp.jpg');
    expect(await text('.credentials')).toContain('not on the newsroom’s trust list');
    expect(await text('h1 .source-label')).toBe('AI-edited');
    await shot('valid-untrusted-ai-edited');

    await open('real/c2pa/no_alg.jpg');
    expect(await text('h1 .badge')).toBe('Held for an editor');
    expect(await text('.credentials')).toMatch(/^Content Credentials do not verify: algorithm\.unsupported/);
    expect(await text('.waiting')).toContain(
      'Held: Content Credentials do not verify (algorithm.unsupported',
    );
    expect(await page.locator('.waiting button').textContent()).toBe('Clear the hold');
    await shot('invalid-held');

    await open('real/c2pa/no_manifest.jpg');
    expect(await text('.credentials')).toBe('No Content Credentials.');
    await shot('absent');

    await open('synthetic/dst/trainedAlgorithmicMedia.jpg');
    expect(await text('h1 .source-label')).toBe('AI-generated');
    expect(await text('.provenance')).toContain('never published automatically');

    // Graphic content: blurred with the reason until the editor asks to see it; the look is audited.
    await open('synthetic/graphic/instructions-smout.jpg');
    await waitInPage(page, "document.querySelector('.preview-figure img')?.complete === true");
    const filter = () =>
      page.evaluate(
        "getComputedStyle(document.querySelector('.preview-figure img')).filter",
      ) as Promise<string>;
    expect(await filter()).toMatch(/^blur\(/);
    expect(await text('h1 .sensitive-label')).toBe('Sensitive');
    expect(await text('.preview-figure figcaption span')).toBe(
      'Graphic content flagged in special instructions: "SMOUT"',
    );
    await shot('sensitive-blurred');
    await page.click('.preview-figure .reveal');
    await page.waitForSelector('.preview-figure.revealed');
    expect(await filter()).toBe('none');
    await shot('sensitive-revealed');
    const audit = (await of('synthetic/graphic/instructions-smout.jpg')).audit;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'photo.revealed' }));

    // The photo list blurs its thumbnail too, and labels it.
    await page.goto(`${stack.apiUrl}/dashboard/photos`);
    const row = page.locator(`tr[data-photo-id="${ids.get('synthetic/graphic/instructions-smout.jpg')}"]`);
    expect(await row.locator('img.thumb.blurred').count()).toBe(1);
    expect(await row.locator('.sensitive-label').textContent()).toBe('Sensitive');
    await shot('photo-list');
    expect(errors).toEqual([]);
    await context.close();
  });
});
