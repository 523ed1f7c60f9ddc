import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GalleryManifest, galleryManifestSchema, stageIsIdle } from '@lightbox/contracts';
import { DEFAULT_RENDITIONS, renderPhoto, resolveWatermark, watermarkOverlay } from '@lightbox/imaging';
import { photoIdFor } from '@lightbox/intake';
import { demoPath, eventually, fixturePath } from '@lightbox/test-infra';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type PhotoView, type QueueView } from '../support/api-types.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';

interface Expected {
  ceremonyFiles: string[];
  distractorFiles: string[];
}

describe('wire to gallery on the real stack', () => {
  let stack: StackUnderTest;
  let storyId: string;
  let expected: Expected;
  const ids = new Map<string, string>();

  const api = stackApi(() => stack);

  beforeAll(async () => {
    stack = await startStackProcess();
    expected = JSON.parse(await readFile(demoPath('expected.json'), 'utf8'));
  });
  afterAll(async () => {
    await stack?.destroy();
  });

  it('reports healthy', async () => {
    const res = await api('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', redis: true, s3: true });
  });

  it('registers the story', async () => {
    const res = await registerDemoStory(stack);
    expect(res.status).toBe(201);
    storyId = (await json<{ id: string }>(res)).id;
  });

  it('accepts the demo wire set pushed over HTTP', async () => {
    const files = (await readdir(demoPath('wire'))).sort();
    expect(files).toHaveLength(expected.ceremonyFiles.length + expected.distractorFiles.length);
    await Promise.all(
      files.map(async (file) => {
        const res = await api('/v1/photos', {
          method: 'POST',
          token: stack.feedKey,
          headers: { 'content-type': 'image/jpeg', 'x-filename': file },
          body: await readFile(demoPath(`wire/${file}`)),
        });
        expect(res.status).toBe(202);
        ids.set(file, (await json<{ photoId: string }>(res)).photoId);
      }),
    );
  });

  let manifest: GalleryManifest;

  it('publishes a gallery with all 16 ceremony photos and none of the distractors', async () => {
    manifest = await eventually(
      async () => {
        const res = await api(`/v1/galleries/${storyId}`);
        if (res.status !== 200) return undefined;
        const body = galleryManifestSchema.parse(await res.json());
        const queues = await json<QueueView[]>(api('/v1/queues', { token: stack.editorToken }));
        const idle = queues.every(stageIsIdle);
        return body.photos.length >= expected.ceremonyFiles.length && idle ? body : undefined;
      },
      120_000,
      250,
    );
    const inGallery = new Set(manifest.photos.map((p) => p.photoId));
    expect([...inGallery].sort()).toEqual(expected.ceremonyFiles.map((f) => ids.get(f)).sort());
    for (const f of expected.distractorFiles) expect(inGallery.has(ids.get(f) as string)).toBe(false);
    expect(manifest).toMatchObject({
      storyId,
      slug: 'paris-2024-closing-ceremony',
      version: expect.any(Number),
    });
    const times = manifest.photos.map((p) => Date.parse(p.dateCreated ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const typo = manifest.photos.find((p) => p.caption?.includes('State de France'));
    expect(typo?.credit).toBe('AP Photo/Natacha Pisarenko');
    expect(manifest.photos.some((p) => p.credit === 'THE CANADIAN PRESS/AP-Dita Alangkara')).toBe(true);
  });

  it('serves renditions at their URLs with the right sizes, and the watermark on large', async () => {
    const first = manifest.photos[0];
    expect(first?.renditions.map((r) => r.name)).toEqual(['large', 'medium', 'medium-webp', 'thumb']);
    for (const r of first?.renditions ?? []) {
      const res = await fetch(r.url);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(r.bytes);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([r.format, r.width, r.height]);
      expect(Math.max(r.width, r.height)).toBe(
        { large: 2048, medium: 1024, 'medium-webp': 1024, thumb: 320 }[r.name],
      );
    }
    // Watermark: the large rendition's credit corner differs from an unwatermarked render of the original.
    const file = [...ids.entries()].find(([, id]) => id === first?.photoId)?.[0] as string;
    const original = await readFile(demoPath(`wire/${file}`));
    const large = first?.renditions.find((r) => r.name === 'large');
    const served = await sharp(Buffer.from(await (await fetch(large?.url as string)).arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const {
      renditions: [plain],
    } = await renderPhoto(original, {
      renditions: [{ ...(DEFAULT_RENDITIONS[0] as (typeof DEFAULT_RENDITIONS)[0]), watermark: false }],
      maxInputPixels: 1e8,
    });
    const plainPx = await sharp(plain?.data).raw().toBuffer();
    const mark = resolveWatermark(undefined, { feed: 'wire', credit: first?.credit ?? undefined });
    const box = mark && (await watermarkOverlay(mark, served.info.width, served.info.height));
    expect(box).toBeDefined();
    const b = box as NonNullable<typeof box>;
    let diff = 0;
    for (let y = b.top; y < b.top + b.height; y++) {
      for (let x = b.left; x < b.left + b.width; x++) {
        const i = (y * served.info.width + x) * 3;
        diff += Math.abs((served.data[i] as number) - (plainPx[i] as number));
      }
    }
    expect(diff / (b.width * b.height)).toBeGreaterThan(10);
  });

  it('explains each decision on GET /v1/photos/:id', async () => {
    const matched = await json<PhotoView>(
      api(`/v1/photos/${ids.get(expected.ceremonyFiles[0] as string)}`, { token: stack.editorToken }),
    );
    expect(matched).toMatchObject({ status: 'published', match: { storyId, decision: 'matched' } });
    expect(matched.match?.reasons.length).toBeGreaterThan(0);
    expect(matched.metadata).toMatchObject({ city: 'Saint-Denis', agency: 'AP' });
    const street = await json<PhotoView>(
      api(`/v1/photos/${ids.get('RTR_PARIS_STREET.jpg')}`, { token: stack.editorToken }),
    );
    expect(['review', 'unmatched']).toContain(street.status);
  });

  it('takes photos from the hot folder too', async () => {
    const source = fixturePath('real/camera/canon-dslr.jpg');
    await copyFile(source, join(stack.dataDir, 'inbox', 'canon-dslr.jpg'));
    const photoId = photoIdFor(
      createHash('sha256')
        .update(await readFile(source))
        .digest('hex'),
    );
    const photo = await eventually(async () => {
      const res = await api(`/v1/photos/${photoId}`, { token: stack.editorToken });
      if (res.status !== 200) return undefined;
      const body = await json<PhotoView>(res);
      return ['unmatched', 'review', 'matched', 'published'].includes(body.status) ? body : undefined;
    }, 60_000);
    expect(photo.metadata).toMatchObject({ width: 5184, height: 3456 });
    expect(await readdir(join(stack.dataDir, 'inbox', '_processed'))).toEqual(['canon-dslr.jpg']);
  });

  it('rejects bad input with a reason and keeps going', async () => {
    // Pictures this suite has not sent before (a bad version of a published one leaves it published: lifecycle tests).
    const ap = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    const truncated = ap.subarray(0, Math.floor(ap.length * 0.8));
    const res = await api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg' },
      body: truncated,
    });
    // Cut short: refused at intake (no end-of-image marker), with the reason recorded on the photo.
    expect(res.status).toBe(422);
    const { error } = await json<{ error: { code: string; photoId: string } }>(res);
    expect(error.code).toBe('truncated_image');
    const photo = await json<PhotoView>(api(`/v1/photos/${error.photoId}`, { token: stack.editorToken }));
    expect(photo.status).toBe('rejected');
    expect(photo.error).toMatch(/^truncated_image: /);
    // Damaged in its image data (an end marker appended to half a file): taken, then refused by render.
    const whole = await readFile(fixturePath('real/camera/door-knocker.jpg'));
    const damaged = await api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg' },
      body: Buffer.concat([whole.subarray(0, Math.floor(whole.length / 2)), Buffer.from([0xff, 0xd9])]),
    });
    expect(damaged.status).toBe(202);
    const { photoId } = await json<{ photoId: string }>(damaged);
    const refused = await eventually(async () => {
      const body = await json<PhotoView>(api(`/v1/photos/${photoId}`, { token: stack.editorToken }));
      return body.status === 'rejected' ? body : undefined;
    }, 60_000);
    expect(refused.error).toMatch(/^(corrupt_image|truncated_image): /);
  });

  it('stops cleanly on Ctrl-C and picks up where it left off after a restart', async () => {
    const before = await json<GalleryManifest>(api(`/v1/galleries/${storyId}`));
    // A photo in flight when the user presses Ctrl-C must not be lost.
    const res = await api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg' },
      body: await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg')),
    });
    const { photoId } = await json<{ photoId: string }>(res);
    expect(await stack.stop('SIGINT')).toBe(0);
    expect(stack.output()).toContain('Stopped.');

    stack = await stack.restart();
    const after = await json<GalleryManifest>(api(`/v1/galleries/${storyId}`));
    expect(after.photos.map((p) => p.photoId)).toEqual(before.photos.map((p) => p.photoId));
    const stories = await json<{ id: string }[]>(api('/v1/stories', { token: stack.editorToken }));
    expect(stories.map((s) => s.id)).toEqual([storyId]);
    const photo = await eventually(async () => {
      const body = await json<PhotoView>(api(`/v1/photos/${photoId}`, { token: stack.editorToken }));
      return ['unmatched', 'review', 'matched', 'published'].includes(body.status) ? body : undefined;
    }, 60_000);
    expect(photo.metadata).toMatchObject({ city: 'Neuss', agency: 'Reuters' });
  });
});
