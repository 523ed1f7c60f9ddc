import type { ImageHeader, Photo, PhotoMetadata } from '@lightbox/contracts';
import { eventually } from '@lightbox/test-infra';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

/**
 * The render stage is the one stage that reads an original: it downloads it once, checks its
 * header against what intake recorded, and renders; a wrong record fails the photo with the reason.
 */
describe('render stage on a real worker', () => {
  let h: WorkerHarness;

  beforeAll(async () => {
    // Render (and the ingest queue's drain) only: no other stage reads objects meanwhile.
    h = await startWorkerHarness({ LIGHTBOX_METRICS_PORT: '0', QUEUES: 'render,ingest' });
  });
  afterAll(async () => h?.close());

  /** GetObject requests the worker has sent. */
  const gets = async () => {
    const text = await (await fetch(`http://127.0.0.1:${h.worker.metricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => /^lightbox_s3_requests_total\{.*GetObjectCommand/.test(l));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  /** A photo as intake records it: the original stored, metadata and image header read. */
  async function received(
    id: string,
    original: Buffer,
    recorded: { metadata: Partial<PhotoMetadata>; probe?: ImageHeader },
  ): Promise<Photo> {
    const sha = id.padEnd(64, '0');
    const originalKey = `originals/2026-01-01/${id}.jpg`;
    await h.store.put(originalKey, original, { contentType: 'image/jpeg' });
    const now = new Date().toISOString();
    const photo: Photo = {
      photoId: id,
      status: 'received',
      feed: 'wire',
      sha256: sha,
      originalKey,
      contentType: 'image/jpeg',
      bytes: original.length,
      receivedAt: now,
      updatedAt: now,
      version: 1,
      metadata: { keywords: [], caption: 'A frame', creditLine: 'AP Photo/Jane Doe', ...recorded.metadata },
      ...(recorded.probe ? { probe: recorded.probe } : {}),
    };
    await h.photos.register(photo, {
      kind: 'original',
      sha256: sha,
      originalKey,
      receivedAt: now,
      feed: 'wire',
    });
    await h.queues.add('render', { photoId: id }, { jobId: `${id}-render` });
    return photo;
  }

  const frame = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();

  it('downloads the original once and renders it when the recorded header agrees', async () => {
    const before = await gets();
    await received('ph_render_ok', await frame(640, 480), {
      metadata: { width: 640, height: 480 },
      probe: { format: 'jpeg' },
    });
    const photo = await eventually(async () => {
      const p = await h.photos.require('ph_render_ok');
      return p.renditions?.length ? p : undefined;
    }, 30_000);
    expect(photo.renditions?.find((r) => r.name === 'large')).toMatchObject({ width: 640, height: 480 });
    expect(await gets()).toBe(before + 1);
  });

  it('fails the photo with a recorded reason when the original is not what intake read', async () => {
    await received('ph_render_wrong', await frame(64, 48), {
      metadata: { width: 6000, height: 4000 },
      probe: { format: 'jpeg' },
    });
    const photo = await eventually(async () => {
      const p = await h.photos.require('ph_render_wrong');
      return p.status === 'rejected' ? p : undefined;
    }, 30_000);
    expect(photo.error).toBe('probe_mismatch: intake read jpeg 6000x4000, the stored original is jpeg 64x48');
    expect(photo.renditions).toBeUndefined();
    expect(await h.store.list('renditions/ph_render_wrong/')).toEqual([]);
  });

  it('a record from before intake read the header (an upgrade with work in flight) gets its size from the render', async () => {
    await received('ph_render_legacy', await frame(300, 200), { metadata: {} });
    const photo = await eventually(async () => {
      const p = await h.photos.require('ph_render_legacy');
      return p.renditions?.length ? p : undefined;
    }, 30_000);
    expect(photo.metadata).toMatchObject({ width: 300, height: 200, caption: 'A frame' });
  });

  it('jobs a previous release queued for the ingest stage go on to render', async () => {
    await h.photos.register(
      {
        photoId: 'ph_legacy_ingest',
        status: 'received',
        feed: 'wire',
        sha256: 'b'.repeat(64),
        originalKey: 'originals/2026-01-01/ph_legacy_ingest.jpg',
        contentType: 'image/jpeg',
        bytes: 1,
        receivedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        version: 1,
      },
      {
        kind: 'original',
        sha256: 'b'.repeat(64),
        originalKey: 'originals/2026-01-01/ph_legacy_ingest.jpg',
        receivedAt: new Date().toISOString(),
        feed: 'wire',
      },
    );
    await h.store.put('originals/2026-01-01/ph_legacy_ingest.jpg', await frame(200, 100), {
      contentType: 'image/jpeg',
    });
    await h.queues.add('ingest', { photoId: 'ph_legacy_ingest' }, { jobId: 'ph_legacy_ingest-v1' });
    const photo = await eventually(async () => {
      const p = await h.photos.require('ph_legacy_ingest');
      return p.renditions?.length ? p : undefined;
    }, 30_000);
    expect(photo.metadata).toMatchObject({ width: 200, height: 100 });
  });
});
