import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PhotoExpiredData, StoryInput, WebhookBody } from '@lightbox/contracts';
import { eventually } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpirySweep } from '../src/stages/expiry-sweep.js';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

const DAY = 24 * 3600_000;
const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

const relay = (slug: string, name: string, day: string): StoryInput => ({
  slug,
  headline: `${name} at Example Arena`,
  event: {
    name,
    venue: 'Example Arena',
    city: 'Springfield',
    country: 'United States',
    start: `${day}T19:00:00+02:00`,
    end: `${day}T23:00:00+02:00`,
  },
});
const relayPhoto = (n: number, name: string, day: string) => ({
  caption: `Runner ${n} crosses the line in the ${name} at Example Arena in Springfield. (AP Photo/Jane Doe)`,
  event: name,
  city: 'Springfield',
  country: 'United States',
  dateCreated: `${day}T21:00:00+02:00`,
  creditLine: 'AP Photo/Jane Doe',
});

/**
 * Issue 15 on a real worker: AI media go to review, never to a gallery by themselves; the expiry
 * sweep (fake clock) expires a published photo through the lifecycle and the takedown stage takes
 * it out of its gallery, deletes its manifest store and tells subscribers `photo.expired`.
 */
describe('provenance and licences on a real worker (Redis, S3, BullMQ)', () => {
  let h: WorkerHarness;
  let receiver: Server;
  const events: WebhookBody[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookBody);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    h = await startWorkerHarness({
      LIGHTBOX_WEBHOOKS: JSON.stringify([
        { id: 'site', url, secret: 'provenance-secret-0123', events: ['photo.expired'] },
      ]),
      LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      LIGHTBOX_PUBLISH_DELAY_MS: '50',
      LIGHTBOX_PUBLISH_SPACING_MS: '300',
    });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const settled = () => eventually(() => h.idle(), 60_000, 100);

  it('AI-generated media: review with the reason, never matched by the matcher; an editor may publish it', async () => {
    const story = await h.desk.create(relay('relay-ai', 'Relay final', '2024-08-10'), 'editor');
    const reason =
      'AI-generated (IPTC digital source type trainedAlgorithmicMedia): never published automatically';
    await h.addRenderedPhoto(
      'ph_ai_relay',
      { ...relayPhoto(1, 'Relay final', '2024-08-10'), digitalSourceType: `${DST}trainedAlgorithmicMedia` },
      { reviewReason: reason },
    );
    await h.addRenderedPhoto('ph_real_relay', relayPhoto(2, 'Relay final', '2024-08-10'));
    for (const id of ['ph_ai_relay', 'ph_real_relay']) await h.queues.add('match', { photoId: id });
    await settled();
    expect(await h.photos.require('ph_real_relay')).toMatchObject({ status: 'published', storyId: story.id });
    const ai = await h.photos.require('ph_ai_relay');
    expect(ai.status).toBe('review');
    expect(ai.storyId).toBeUndefined();
    expect(ai.match?.reasons[0]).toBe(reason);
    expect(ai.match?.candidates[0]?.storyId).toBe(story.id);
    expect((await h.manifest(story.id))?.photos.map((p) => p.photoId)).toEqual(['ph_real_relay']);

    await h.desk.assign('ph_ai_relay', story.id, 'editor-jane');
    await settled();
    const shown = (await h.manifest(story.id))?.photos.find((p) => p.photoId === 'ph_ai_relay');
    expect(shown?.digitalSourceType).toMatchObject({ label: 'AI-generated' });
  });

  it('the expiry sweep repeats on the release queue, with the embargo timers', async () => {
    const schedulers = await h.queues.queue('release').getJobSchedulers();
    expect(schedulers.map((j) => j.key)).toContain('licence-expiry');
  });

  it('a published photo whose licence runs out leaves its gallery and storage, audited, then photo.expired', async () => {
    const story = await h.desk.create(relay('hurdles', 'Hurdles final', '2024-08-14'), 'editor');
    const expiresAt = new Date(Math.ceil((Date.now() + DAY) / 1000) * 1000).toISOString();
    const storeKey = 'provenance/0f0f0f.c2pa';
    await h.store.put(storeKey, Buffer.from('manifest store'), { contentType: 'application/c2pa' });
    await h.addRenderedPhoto('ph_licensed', relayPhoto(3, 'Hurdles final', '2024-08-14'), {
      licence: { iim: expiresAt },
      expiresAt,
      provenance: {
        c2pa: { state: 'valid', trusted: true, actions: [], ingredients: 0 },
        manifestStoreKey: storeKey,
        checkedAt: new Date().toISOString(),
      },
    });
    await h.queues.add('match', { photoId: 'ph_licensed' });
    await settled();
    expect((await h.manifest(story.id))?.photos.find((p) => p.photoId === 'ph_licensed')?.expiresAt).toBe(
      expiresAt,
    );

    const clock = { now: Date.parse(expiresAt) - 1000 };
    const sweep = new ExpirySweep(
      { photos: h.photos, lifecycle: h.lifecycle, work: h.work, audit: h.audit },
      () => new Date(clock.now),
    );
    expect(await sweep.run()).toEqual({ expired: 0 });
    expect((await h.photos.require('ph_licensed')).status).toBe('published');

    clock.now = Date.parse(expiresAt);
    expect(await sweep.run()).toEqual({ expired: 1 });
    expect(await sweep.run()).toEqual({ expired: 0 }); // once
    const event = await eventually(async () =>
      events.find(
        (e) => e.type === 'photo.expired' && (e.data as PhotoExpiredData).photoId === 'ph_licensed',
      ),
    );
    expect(event.data).toEqual({
      photoId: 'ph_licensed',
      storyId: story.id,
      reason: `agency expiry (IIM 2:37/2:38) ${expiresAt} (expires ${expiresAt})`,
      expiredAt: expiresAt,
    });
    // When subscribers hear of it, the gallery no longer shows it and its stores are gone.
    expect((await h.manifest(story.id))?.photos.map((p) => p.photoId)).not.toContain('ph_licensed');
    expect(await h.store.head(storeKey)).toBeUndefined();
    expect(await h.store.list('renditions/ph_licensed/')).toEqual([]);
    expect(await h.photos.require('ph_licensed')).toMatchObject({
      status: 'expired',
      expired: { at: expiresAt },
    });
    expect((await h.audit.of('photo', 'ph_licensed', 10)).map((a) => [a.actor, a.action])).toContainEqual([
      'system',
      'photo.expired',
    ]);
  });
});
