import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoryInput, WebhookBody } from '@lightbox/contracts';
import { differenceHashOf } from '@lightbox/imaging';
import { eventually, fixturePath } from '@lightbox/test-infra';
import { verifyWebhook } from '@lightbox/webhooks';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

const SECRET = 'integration-secret-0123456789';
const HOUR = 3600_000;

const cup = (slug: string, start: string, end: string, name = 'Coalesce Cup final'): StoryInput => ({
  slug,
  headline: `${name} at Example Arena`,
  event: { name, venue: 'Example Arena', city: 'Springfield', country: 'United States', start, end },
  keywords: ['coalesce cup'],
});

const cupPhoto = (n: number, dateCreated: string, name = 'Coalesce Cup final') => ({
  caption: `Player ${n} celebrates during the ${name} at Example Arena in Springfield, Saturday. (AP Photo/Jane Doe)`,
  event: name,
  city: 'Springfield',
  country: 'United States',
  dateCreated,
  creditLine: 'AP Photo/Jane Doe',
});

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

describe('galleries on a real worker (Redis, S3, BullMQ)', () => {
  let h: WorkerHarness;
  let receiver: Server;
  const deliveries: Delivery[] = [];
  let failNext = 1;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const status = failNext > 0 ? 500 : 200;
        if (failNext > 0) failNext--;
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lightbox`;
    h = await startWorkerHarness({
      LIGHTBOX_WEBHOOKS: JSON.stringify([{ id: 'site', url, secret: SECRET }]),
      LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      LIGHTBOX_WEBHOOK_RETRY_BASE_MS: '200',
      LIGHTBOX_PUBLISH_DELAY_MS: '300',
      LIGHTBOX_PUBLISH_SPACING_MS: '3000',
      LIGHTBOX_STORY_AUTO_CLOSE_HOURS: '1',
      LIGHTBOX_METRICS_PORT: '0',
    });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const settled = () => eventually(() => h.idle(), 60_000, 100);

  it('coalesces a burst: 100 photos matched within 10 s give at most 5 manifest writes, the last with all 100', async () => {
    const story = await h.desk.create(
      cup('coalesce-cup', '2024-08-10T18:00:00+02:00', '2024-08-10T21:00:00+02:00'),
    );
    await settled();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const id = `ph_burst${String(i).padStart(3, '0')}`;
      const minute = String(i % 60).padStart(2, '0');
      await h.addRenderedPhoto(
        id,
        cupPhoto(i, `2024-08-10T19:${minute}:${String(i % 50).padStart(2, '0')}+02:00`),
      );
      ids.push(id);
    }
    const started = Date.now();
    for (const [i, id] of ids.entries()) {
      await h.queues.add('match', { photoId: id });
      const due = started + ((i + 1) * 10_000) / ids.length;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    expect(Date.now() - started).toBeLessThan(11_000);
    await settled();
    const manifest = await h.manifest(story.id);
    expect(manifest?.photos).toHaveLength(100);
    // The version counts manifest writes: one per publish.
    expect(manifest?.version).toBeGreaterThanOrEqual(2);
    expect(manifest?.version).toBeLessThanOrEqual(5);
    const statuses = await h.photos.getMany(ids);
    expect(new Set(statuses.map((p) => p.status))).toEqual(new Set(['published']));
  }, 90_000);

  it('signs webhooks, retries a failed delivery with the same id, and reports published then updated', async () => {
    await eventually(async () => deliveries.some((d) => d.status === 200), 20_000);
    const [failed, ...rest] = deliveries;
    expect(failed?.status).toBe(500);
    const retried = rest.find((d) => d.headers['lightbox-delivery'] === failed?.headers['lightbox-delivery']);
    expect(retried?.status).toBe(200);
    expect(retried?.body).toBe(failed?.body);
    for (const d of deliveries) {
      const check = verifyWebhook(SECRET, d.headers['lightbox-signature'] as string, d.body);
      expect(check.ok).toBe(true);
    }
    // Retries may land after later events: order by gallery version.
    const bodies = deliveries
      .filter((d) => d.status === 200)
      .map((d) => JSON.parse(d.body) as WebhookBody)
      .sort((x, y) => (x.data as { version: number }).version - (y.data as { version: number }).version);
    const types = bodies.map((b) => [b.type, (b.data as { version: number }).version]);
    expect(types[0]).toEqual(['gallery.published', 1]);
    expect(types.slice(1).every(([t]) => t === 'gallery.updated')).toBe(true);
    expect(bodies.at(-1)?.data).toMatchObject({ photoCount: 100, final: false });
  });

  it('re-matches waiting photos when their story is registered late (backfill)', async () => {
    const when = (m: number) => `2024-08-09T20:${String(m).padStart(2, '0')}:00+02:00`;
    const early = ['ph_late1', 'ph_late2', 'ph_late3'];
    for (const [i, id] of early.entries()) {
      await h.addRenderedPhoto(id, cupPhoto(i, when(10 + i), 'Backfill Bowl semifinal'));
      await h.queues.add('match', { photoId: id });
    }
    await settled();
    for (const p of await h.photos.getMany(early)) expect(['unmatched', 'review']).toContain(p.status);

    const story = await h.desk.create(
      cup(
        'backfill-bowl',
        '2024-08-09T19:00:00+02:00',
        '2024-08-09T22:00:00+02:00',
        'Backfill Bowl semifinal',
      ),
    );
    await settled();
    const manifest = await eventually(async () => {
      const m = await h.manifest(story.id);
      return m && m.photos.length === 3 ? m : undefined;
    });
    expect(manifest.photos.map((p) => p.photoId).sort()).toEqual(early);
    const photo = await h.photos.require('ph_late1');
    expect(photo.match?.reasons.join(' ')).toMatch(/Backfill Bowl semifinal/);
  });

  it('keeps editors’ decisions across re-matches, and assigns photos from review', async () => {
    const story = (await h.stories.list()).find((s) => s.slug === 'backfill-bowl');
    if (!story) throw new Error('story missing');
    await h.desk.unassign('ph_late2', 'editor');
    await settled();
    expect((await h.manifest(story.id))?.photos.map((p) => p.photoId)).toEqual(['ph_late1', 'ph_late3']);

    // An edit triggers a backfill: the editor's unassignment stands.
    await h.desk.update(story.id, { keywords: ['coalesce cup', 'bowl'] });
    await h.queues.add('match', { photoId: 'ph_late2' });
    await settled();
    const kept = await h.photos.require('ph_late2');
    expect(kept).toMatchObject({
      status: 'unmatched',
      match: { manual: { action: 'unassign', by: 'editor' } },
    });
    expect((await h.manifest(story.id))?.photos).toHaveLength(2);

    // A photo with no event evidence stays out until an editor assigns it.
    await h.addRenderedPhoto('ph_street', {
      caption: 'A man walks his dog in Springfield on Friday evening.',
      city: 'Springfield',
      dateCreated: '2024-08-09T20:30:00+02:00',
    });
    await h.queues.add('match', { photoId: 'ph_street' });
    await settled();
    expect((await h.photos.require('ph_street')).status).not.toBe('matched');
    await h.desk.assign('ph_street', story.id, 'editor');
    await settled();
    expect((await h.manifest(story.id))?.photos.map((p) => p.photoId)).toContain('ph_street');
  });

  it('publishes the editor order and cover', async () => {
    const story = (await h.stories.list()).find((s) => s.slug === 'backfill-bowl');
    if (!story) throw new Error('story missing');
    await h.desk.setLayout(story.id, { order: ['ph_late3', 'ph_street'], cover: 'ph_street' });
    await settled();
    const m = await h.manifest(story.id);
    expect(m?.photos.map((p) => p.photoId)).toEqual(['ph_late3', 'ph_street', 'ph_late1']);
    expect(m?.cover).toBe('ph_street');
    await expect(h.desk.setLayout(story.id, { order: ['a', 'a'] })).rejects.toThrow(/twice/);
  });

  it('closing makes the gallery final and sends late photos to review', async () => {
    const story = (await h.stories.list()).find((s) => s.slug === 'backfill-bowl');
    if (!story) throw new Error('story missing');
    await h.desk.close(story.id);
    await settled();
    expect(await h.manifest(story.id)).toMatchObject({ final: true });
    await h.addRenderedPhoto('ph_after', cupPhoto(9, '2024-08-09T21:30:00+02:00', 'Backfill Bowl semifinal'));
    await h.queues.add('match', { photoId: 'ph_after' });
    await settled();
    const late = await h.photos.require('ph_after');
    expect(late.status).toBe('review');
    expect(late.match?.reasons.join(' ')).toMatch(/closed/);
    expect((await h.manifest(story.id))?.photos.map((p) => p.photoId)).not.toContain('ph_after');
  });

  it('archives a closed story after LIGHTBOX_ARCHIVE_AFTER_HOURS: state to S3, out of Redis, gallery kept', async () => {
    const story = (await h.stories.list()).find((s) => s.slug === 'backfill-bowl');
    if (!story) throw new Error('story missing');
    expect(story.status).toBe('closed');
    // Closing scheduled the archive a week (the default) after the close.
    const scheduled = await h.queues.queue('archive').getDelayed();
    expect(scheduled.some((j) => j.data.storyId === story.id && j.delay > 160 * HOUR)).toBe(true);
    const members = await h.stories.photoIds(story.id);
    expect(members.length).toBeGreaterThan(0);
    const gallery = await h.manifest(story.id);

    // A job that comes too early does nothing; once the week has passed, the story goes.
    await h.queues.add('archive', { storyId: story.id });
    await settled();
    expect(await h.stories.get(story.id)).toBeDefined();
    await h.stories.save({ ...story, updatedAt: new Date(Date.now() - 200 * HOUR).toISOString() });
    await h.queues.add('archive', { storyId: story.id }, { jobId: `archive-now-${story.id}` });
    await eventually(async () => (await h.stories.get(story.id)) === undefined, 20_000);

    const ref = await h.stories.archivedRef(story.id);
    expect(ref?.key).toBe(`archive/stories/${story.id}.json`);
    const doc = JSON.parse((await h.store.get(ref?.key as string)).toString()) as {
      photos: { photo: { photoId: string } }[];
    };
    expect(doc.photos.map((p) => p.photo.photoId).sort()).toEqual(
      members.filter((id) => id !== 'ph_after').sort(),
    );
    for (const id of doc.photos.map((p) => p.photo.photoId)) expect(await h.photos.get(id)).toBeUndefined();
    // Downstream sites still get the final gallery; editors are told where the story went.
    expect(await h.manifest(story.id)).toEqual(gallery);
    await expect(h.desk.requireStory(story.id)).rejects.toThrow(/was archived on .* to archive\/stories\//);
  });

  it('sweeps photos no story claimed to S3 after the retention, hourly', async () => {
    const schedulers = await h.queues.queue('archive').getJobSchedulers();
    expect(schedulers.map((j) => j.key)).toContain('undecided-photos');
    const old = new Date(Date.now() - 40 * 24 * HOUR).toISOString();
    await h.addRenderedPhoto('ph_stale', cupPhoto(1, '2024-01-01T12:00:00+01:00', 'Nothing Cup'), {
      receivedAt: old,
    });
    await h.addRenderedPhoto('ph_recent', cupPhoto(2, '2024-01-01T12:00:00+01:00', 'Nothing Cup'));
    for (const id of ['ph_stale', 'ph_recent'])
      await h.lifecycle.apply(id, { type: 'auto-match', decision: 'unmatched', storyId: null });
    await h.queues.add('archive', { sweep: 'undecided' });
    await eventually(async () => (await h.photos.get('ph_stale')) === undefined, 20_000);
    expect((await h.photos.get('ph_recent'))?.status).toBe('unmatched');
    expect((await h.store.list('archive/photos/')).length).toBeGreaterThan(0);
  });

  it('closes stories automatically after end + grace, and not before', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const due = await h.desk.create(cup('auto-due', iso(now - 5 * HOUR), iso(now - 2 * HOUR), 'Due Derby'));
    const notDue = await h.desk.create(
      cup('auto-not-due', iso(now - 3 * HOUR), iso(now - 0.5 * HOUR), 'Later Derby'),
    );
    // Registered just now, `due` still gets its hour of grace from registration: age it instead.
    await h.stories.save({ ...due, createdAt: iso(now - 3 * HOUR) });
    await h.queues.add('close', { storyId: due.id });
    await eventually(async () => (await h.stories.get(due.id))?.status === 'closed', 20_000);
    expect((await h.stories.get(due.id))?.closedAt).toBeDefined();
    expect((await h.stories.get(notDue.id))?.status).toBe('open');
    const close = await h.queues.queue('close').getDelayed();
    expect(close.some((j) => j.data.storyId === notDue.id && j.delay > 20 * 60_000)).toBe(true);
  });

  it('folds a burst of real frames (perceptual hash + 3 s) into one photo with alternates', async () => {
    const original = await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg'));
    const meta = await sharp(original).metadata();
    const w = meta.width as number;
    const h2 = meta.height as number;
    // Five frames of one moment: slight reframing and exposure changes, as a motor drive gives.
    const frames = await Promise.all(
      [0, 0.01, 0.02, 0.03, 0.04].map((shift, i) =>
        sharp(original)
          .extract({ left: Math.round(w * shift), top: 0, width: Math.round(w * 0.95), height: h2 })
          .modulate({ brightness: 1 + i * 0.02 })
          .jpeg({ quality: 85 })
          .toBuffer(),
      ),
    );
    const other = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    const story = await h.desk.create(
      cup('burst-cup', '2024-08-08T19:00:00+02:00', '2024-08-08T22:00:00+02:00', 'Burst Cup final'),
    );
    const ids: string[] = [];
    for (const [i, frame] of [...frames, other].entries()) {
      const id = `ph_frame${i}`;
      const at = i < 5 ? `2024-08-08T20:00:0${Math.floor(i * 0.6)}+02:00` : '2024-08-08T20:00:01+02:00';
      await h.addRenderedPhoto(
        id,
        { ...cupPhoto(i, at, 'Burst Cup final'), width: 3000 + (i === 2 ? 1000 : 0) },
        {
          phash: await differenceHashOf(frame),
        },
      );
      ids.push(id);
      await h.queues.add('match', { photoId: id });
    }
    await settled();
    const m = await eventually(async () => {
      const got = await h.manifest(story.id);
      const count = got ? got.photos.length + got.photos.reduce((n, p) => n + p.alternates.length, 0) : 0;
      return count === 6 ? got : undefined;
    });
    expect(m.photos.map((p) => p.photoId).sort()).toEqual(['ph_frame2', 'ph_frame5']);
    const kept = m.photos.find((p) => p.photoId === 'ph_frame2');
    expect(kept?.alternates.map((a) => a.photoId).sort()).toEqual([
      'ph_frame0',
      'ph_frame1',
      'ph_frame3',
      'ph_frame4',
    ]);
  });

  it('serves Prometheus metrics: job durations per stage, matcher decisions, S3 requests', async () => {
    const res = await fetch(`http://127.0.0.1:${h.worker.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // Labels in any order: {a="x",b="y"}.
    const series = (name: string, labels: Record<string, string>) =>
      text
        .split('\n')
        .filter(
          (l) =>
            l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
        )
        .map((l) => Number(l.split(' ').pop()));
    expect(
      series('lightbox_job_duration_seconds_count', { stage: 'match', outcome: 'completed' })[0],
    ).toBeGreaterThan(0);
    expect(series('lightbox_job_duration_seconds_bucket', { stage: 'publish', le: '1' })).toHaveLength(1);
    expect(series('lightbox_match_decisions_total', { decision: 'matched' })[0]).toBeGreaterThan(0);
    expect(series('lightbox_s3_requests_total', { command: 'PutObjectCommand' })[0]).toBeGreaterThan(0);
    expect(series('process_resident_memory_bytes', { service: 'worker' })[0]).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${h.worker.metricsPort}/other`)).status).toBe(404);
  });

  it('tells subscribers about kills', async () => {
    const story = (await h.stories.list()).find((s) => s.slug === 'coalesce-cup');
    if (!story) throw new Error('story missing');
    const killed_ = await h.lifecycle.apply('ph_burst000', {
      type: 'kill',
      reason: 'Wrong player identified',
      at: '2024-08-11T00:00:00Z',
    });
    if (!killed_.ok) throw new Error(killed_.message);
    await h.work.run(killed_.photo, killed_.effects);
    const killed = await eventually(async () =>
      deliveries
        .map((d) => JSON.parse(d.body) as WebhookBody)
        .find((b) => b.type === 'photo.killed' && (b.data as { photoId: string }).photoId === 'ph_burst000'),
    );
    expect(killed.data).toMatchObject({ storyId: story.id, reason: 'Wrong player identified' });
    await settled();
    expect((await h.manifest(story.id))?.photos.map((p) => p.photoId)).not.toContain('ph_burst000');
  });
});
