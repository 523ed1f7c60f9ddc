import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { STAGES } from '@lightbox/contracts';
import type { PipelineQueues } from '@lightbox/queue';
import type { S3ObjectStore } from '@lightbox/storage';
import { fixturePath } from '@lightbox/test-infra';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const FEED = 'feed-key-ap';
const EDITOR = 'editor-token-1';
const story = {
  slug: 'paris-2024-closing-ceremony',
  headline: 'Paris Olympics end with star-studded closing ceremony',
  event: {
    name: 'Paris 2024 Olympics closing ceremony',
    start: '2024-08-11T21:00:00+02:00',
    end: '2024-08-12T00:30:00+02:00',
    venue: 'Stade de France',
  },
};

describe('HTTP API', () => {
  let api: TestApi;
  let store: S3ObjectStore;
  let queues: PipelineQueues;
  let app: FastifyInstance;
  const deps = () => ({ photos: api.photos, lifecycle: api.lifecycle });
  const jpeg = () => readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_FEED_KEYS: `ap:${FEED}`,
      LIGHTBOX_EDITOR_TOKENS: EDITOR,
      LIGHTBOX_MAX_UPLOAD_BYTES: '2000000',
    });
    ({ app, store, queues } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  /** Originals in storage and photo records in Redis: what an upload leaves behind. */
  const leftovers = async () => ({
    originals: await store.list('originals/'),
    records: (await api.redis.keys(`${api.config.redisPrefix}:state:photo:*`)).length,
  });

  it('GET /healthz is 200 when Redis and S3 answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', redis: true, s3: true });
  });

  describe('POST /v1/photos', () => {
    it('accepts an image from a feed key: 202, then 200 duplicate for the same bytes', async () => {
      const body = await jpeg();
      const first = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg', 'x-filename': 'bush.jpg' },
        body,
      });
      expect(first.statusCode).toBe(202);
      expect(first.json()).toEqual({
        photoId: expect.stringMatching(/^ph_[0-9a-f]{24}$/),
        status: 'received',
      });
      const again = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
        body,
      });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ photoId: first.json().photoId, duplicate: true });

      const detail = await app.inject({
        method: 'GET',
        url: `/v1/photos/${first.json().photoId}`,
        headers: auth(EDITOR),
      });
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({
        photoId: first.json().photoId,
        status: 'received',
        feed: 'ap',
        filename: 'bush.jpg',
        match: null,
        metadata: {},
      });
    });

    it.each([
      ['no key', {}, 401, 'unauthorized'],
      ['a wrong key', auth('nope'), 401, 'unauthorized'],
      ['an editor token', auth(EDITOR), 403, 'forbidden'],
    ])('refuses %s', async (_label, headers, status, code) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...headers, 'content-type': 'image/jpeg' },
        body: await jpeg(),
      });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    });

    it('an upload cut off mid-stream (the connection drops) leaves nothing: no record, no original', async () => {
      const body = await readFile(fixturePath('real/camera/door-knocker.jpg'));
      const before = await leftovers();
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      const socket = connect(port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.write(
        `POST /v1/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${FEED}\r\nContent-Type: image/jpeg\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      socket.write(body.subarray(0, Math.floor(body.length / 2)));
      await new Promise((r) => setTimeout(r, 300)); // the upload to storage is under way
      socket.destroy();
      await new Promise((r) => setTimeout(r, 1000));
      expect(await leftovers()).toEqual(before);
      // The same photo sent whole goes through.
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
        body,
      });
      expect(res.statusCode).toBe(202);
    });

    it('refuses a non-image content type', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'text/html' },
        body: '<html/>',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    });

    it('refuses bodies over the limit', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
        body: Buffer.alloc(2_500_000, 0xff),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
    });

    it('rejects non-image bytes with a reason and a photo id to look up', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
        body: 'GIF? no, HTML',
      });
      expect(res.statusCode).toBe(422);
      const { error } = res.json();
      expect(error).toMatchObject({ code: 'unsupported_format', photoId: expect.stringMatching(/^ph_/) });
      const detail = await app.inject({
        method: 'GET',
        url: `/v1/photos/${error.photoId}`,
        headers: auth(EDITOR),
      });
      expect(detail.json()).toMatchObject({
        status: 'rejected',
        error: expect.stringMatching(/^unsupported_format: /),
      });
    });
  });

  describe('POST /v1/photos as multipart/form-data', () => {
    const form = (parts: { name: string; filename?: string; type: string; body: Buffer | string }[]) => {
      const boundary = '----lightbox-test-boundary';
      const chunks: Buffer[] = [];
      for (const p of parts) {
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\nContent-Type: ${p.type}\r\n\r\n`,
          ),
        );
        chunks.push(Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body));
        chunks.push(Buffer.from('\r\n'));
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
    };

    it('accepts a photo with a NewsML-G2 sidecar part that supplies its metadata', async () => {
      const photo = await readFile(fixturePath('real/camera/door-knocker.jpg'));
      const sidecar = await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml'));
      const { body, type } = form([
        { name: 'file', filename: 'GYI0062134533.jpg', type: 'image/jpeg', body: photo },
        { name: 'sidecar', filename: 'GYI0062134533.xml', type: 'application/xml', body: sidecar },
      ]);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': type },
        body,
      });
      expect(res.statusCode).toBe(202);
      const detail = await app.inject({
        method: 'GET',
        url: `/v1/photos/${res.json().photoId}`,
        headers: auth(EDITOR),
      });
      expect(detail.json()).toMatchObject({
        filename: 'GYI0062134533.jpg',
        version: 1,
        versions: [{ version: 1, kind: 'original' }],
      });
    });

    it('refuses two photos in one request and a request without a photo', async () => {
      const jpeg = await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg'));
      const two = form([
        { name: 'file', filename: 'a.jpg', type: 'image/jpeg', body: jpeg },
        { name: 'file2', filename: 'b.jpg', type: 'image/jpeg', body: jpeg },
      ]);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': two.type },
        body: two.body,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/one photo per request/);
      const none = form([{ name: 'note', type: 'text/plain', body: 'hello' }]);
      const empty = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': none.type },
        body: none.body,
      });
      expect(empty.statusCode).toBe(400);
    });

    it('what a refused multipart request stored is deleted', async () => {
      const jpeg = await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg'));
      const before = await leftovers();
      const two = form([
        {
          name: 'file',
          filename: 'c.jpg',
          type: 'image/jpeg',
          body: Buffer.concat([jpeg, Buffer.from('x')]),
        },
        { name: 'file2', filename: 'd.jpg', type: 'image/jpeg', body: jpeg },
      ]);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': two.type },
        body: two.body,
      });
      expect(res.statusCode).toBe(400);
      expect(await leftovers()).toEqual(before);
    });

    it('refuses a file part over the size limit', async () => {
      const big = form([
        { name: 'file', filename: 'big.jpg', type: 'image/jpeg', body: Buffer.alloc(2_100_000, 0xff) },
      ]);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': big.type },
        body: big.body,
      });
      expect(res.statusCode).toBe(413);
    });

    it('refuses a path in the file name with a recorded reason', async () => {
      const evil = form([
        {
          name: 'file',
          filename: '../../etc/cron.d/x.jpg',
          type: 'image/jpeg',
          body: await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg')),
        },
      ]);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': evil.type },
        body: evil.body,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({
        code: 'invalid_filename',
        photoId: expect.stringMatching(/^rj_/),
      });
    });
  });

  describe('stories', () => {
    it('creates, lists and reads stories (editor only)', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: auth(EDITOR),
        payload: story,
      });
      expect(created.statusCode).toBe(201);
      const body = created.json();
      expect(body).toMatchObject({ ...story, id: expect.stringMatching(/^st_/), status: 'open' });
      const list = await app.inject({ method: 'GET', url: '/v1/stories', headers: auth(EDITOR) });
      expect(list.json().map((s: { id: string }) => s.id)).toContain(body.id);
      const one = await app.inject({ method: 'GET', url: `/v1/stories/${body.id}`, headers: auth(EDITOR) });
      expect(one.json()).toMatchObject({ id: body.id, photoCount: 0 });
      const dup = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: auth(EDITOR),
        payload: story,
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.code).toBe('conflict');
    });

    it.each([
      ['LISTING_14_Event_sent_as_a_Concept_Item.xml', 'iptc-autumn-meeting-2018', 'IPTC Autumn Meeting 2018'],
      ['LISTING_2_NewsML-G2_Text_Document.xml', 'us-finance-fed', 'Fed to halt QE to avert "bubble"'],
    ])('registers a story from NewsML-G2 %s', async (file, slug, name) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: { ...auth(EDITOR), 'content-type': 'application/xml' },
        payload: await readFile(fixturePath(`real/newsml/${file}`)),
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ slug, event: { name } });
    });

    it('refuses hostile or unsupported XML with a clear code', async () => {
      const xxe =
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><conceptItem guid="g">&e;</conceptItem>';
      const res = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: { ...auth(EDITOR), 'content-type': 'application/xml' },
        payload: xxe,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('xml_dtd_forbidden');
      const picture = await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml'));
      const wrong = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: { ...auth(EDITOR), 'content-type': 'application/xml' },
        payload: picture,
      });
      expect(wrong.json().error.code).toBe('newsml_unsupported');
    });

    it('validates the body and names the bad field', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: auth(EDITOR),
        payload: { ...story, slug: 'other', event: { ...story.event, start: '2024-08-11 21:00' } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'validation_error',
        message: expect.stringContaining('event.start'),
      });
    });

    it('refuses feed keys and anonymous callers', async () => {
      expect(
        (await app.inject({ method: 'POST', url: '/v1/stories', headers: auth(FEED), payload: story }))
          .statusCode,
      ).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/v1/stories' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/v1/queues', headers: auth(FEED) })).statusCode).toBe(
        403,
      );
    });

    it('404s unknown stories and photos with the error format', async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/stories/st_nope', headers: auth(EDITOR) });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No story st_nope' } });
      expect(
        (await app.inject({ method: 'GET', url: '/v1/photos/ph_nope', headers: auth(EDITOR) })).statusCode,
      ).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/nowhere' })).json().error.code).toBe('not_found');
    });
  });

  it('GET /v1/galleries/:storyId returns the manifest exactly as stored', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/galleries/st_missing' })).statusCode).toBe(404);
    const stored = '{\n  "storyId": "st_x",\n  "version": 7\n}\n';
    await store.put('galleries/st_x/gallery.json', stored, {
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'public, max-age=15',
    });
    const res = await app.inject({ method: 'GET', url: '/v1/galleries/st_x' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(stored);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBeTruthy();
    expect(res.headers['access-control-allow-origin']).toBe('*');
    // Conditional GETs: the same ETag → 304 with no body; a stale one → 200.
    const again = await app.inject({
      method: 'GET',
      url: '/v1/galleries/st_x',
      headers: { 'if-none-match': `"stale", W/${res.headers.etag}` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(res.headers.etag);
    const stale = await app.inject({
      method: 'GET',
      url: '/v1/galleries/st_x',
      headers: { 'if-none-match': '"x"' },
    });
    expect(stale.statusCode).toBe(200);
    const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/galleries/st_x' });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/If-None-Match/);
    await store.put('galleries/st_x/feed.xml', '<rss/>', {
      contentType: 'application/rss+xml; charset=utf-8',
    });
    const feed = await app.inject({ method: 'GET', url: '/v1/galleries/st_x/feed.xml' });
    expect([feed.statusCode, feed.body, feed.headers['content-type']]).toEqual([
      200,
      '<rss/>',
      'application/rss+xml; charset=utf-8',
    ]);
    expect((await app.inject({ method: 'GET', url: '/v1/galleries/st_x/feed.html' })).statusCode).toBe(404);
  });

  describe('editing stories and deciding photos', () => {
    let storyId: string;
    let photoId: string;

    beforeAll(async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: auth(EDITOR),
        payload: {
          ...story,
          slug: 'editing',
          event: { ...story.event, end: undefined, duration: 'PT3H30M' },
        },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().event.end).toBe('2024-08-12T00:30:00+02:00');
      storyId = created.json().id;
      const pushed = await app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
        body: await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg')),
      });
      photoId = pushed.json().photoId;
    });

    it('PATCH edits fields, merges the event and validates the result', async () => {
      const res = await app.inject({
        method: 'PATCH',
        url: `/v1/stories/${storyId}`,
        headers: auth(EDITOR),
        payload: { headline: 'New headline', event: { venue: 'Stade de France, Saint-Denis' } },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        headline: 'New headline',
        event: { venue: 'Stade de France, Saint-Denis', name: story.event.name },
        photoCount: 0,
      });
      const bad = await app.inject({
        method: 'PATCH',
        url: `/v1/stories/${storyId}`,
        headers: auth(EDITOR),
        payload: { event: { end: '2024-08-10T00:00:00+02:00' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/event.end must not be before event.start/);
      const slug = await app.inject({
        method: 'PATCH',
        url: `/v1/stories/${storyId}`,
        headers: auth(EDITOR),
        payload: { slug: 'renamed' },
      });
      expect(slug.statusCode).toBe(400);
      const backfills = await queues.queue('backfill').getJobs(['waiting', 'delayed', 'active', 'completed']);
      expect(backfills.filter((j) => j.data.storyId === storyId).length).toBeGreaterThanOrEqual(2);
    });

    it('sets the gallery layout and refuses duplicates', async () => {
      const put = await app.inject({
        method: 'PUT',
        url: `/v1/stories/${storyId}/gallery`,
        headers: auth(EDITOR),
        payload: { order: ['ph_b', 'ph_a'], cover: 'ph_a' },
      });
      expect(put.json()).toEqual({ order: ['ph_b', 'ph_a'], cover: 'ph_a' });
      const get = await app.inject({
        method: 'GET',
        url: `/v1/stories/${storyId}/gallery`,
        headers: auth(EDITOR),
      });
      expect(get.json()).toEqual({ order: ['ph_b', 'ph_a'], cover: 'ph_a' });
      const dup = await app.inject({
        method: 'PUT',
        url: `/v1/stories/${storyId}/gallery`,
        headers: auth(EDITOR),
        payload: { order: ['ph_a', 'ph_a'] },
      });
      expect(dup.statusCode).toBe(400);
    });

    it('assigns and unassigns photos by hand, recording the editor’s decision', async () => {
      const assigned = await app.inject({
        method: 'POST',
        url: `/v1/photos/${photoId}/assign`,
        headers: auth(EDITOR),
        payload: { storyId },
      });
      expect(assigned.statusCode).toBe(200);
      expect(assigned.json()).toMatchObject({
        status: 'matched',
        storyId,
        match: {
          decision: 'matched',
          manual: { action: 'assign', by: expect.stringMatching(/^editor-[0-9a-f]{6}$/) },
        },
      });
      const detail = await app.inject({ method: 'GET', url: `/v1/photos/${photoId}`, headers: auth(EDITOR) });
      expect(detail.json()).toMatchObject({ storyId, match: { manual: { action: 'assign' } } });
      expect(detail.json().audit[0]).toMatchObject({
        action: 'photo.assign',
        storyId,
        actor: expect.stringMatching(/^editor-/),
      });
      const unassigned = await app.inject({
        method: 'POST',
        url: `/v1/photos/${photoId}/unassign`,
        headers: auth(EDITOR),
      });
      expect(unassigned.json()).toMatchObject({
        status: 'unmatched',
        storyId: null,
        match: { manual: { action: 'unassign' } },
      });
      const unknownStory = await app.inject({
        method: 'POST',
        url: `/v1/photos/${photoId}/assign`,
        headers: auth(EDITOR),
        payload: { storyId: 'st_nope' },
      });
      expect(unknownStory.statusCode).toBe(404);
      const noBody = await app.inject({
        method: 'POST',
        url: `/v1/photos/${photoId}/assign`,
        headers: auth(EDITOR),
      });
      expect(noBody.statusCode).toBe(400);
      const feed = await app.inject({
        method: 'POST',
        url: `/v1/photos/${photoId}/assign`,
        headers: auth(FEED),
        payload: { storyId },
      });
      expect(feed.statusCode).toBe(403);
    });

    it('refuses to assign a killed photo', async () => {
      await deps().lifecycle.apply(photoId, { type: 'kill', reason: 'withdrawn', at: 'now' });
      const res = await app.inject({
        method: 'POST',
        url: `/v1/photos/${photoId}/assign`,
        headers: auth(EDITOR),
        payload: { storyId },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('withdrawn'),
      });
    });

    it('closes a story; closing again is harmless', async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/stories/${storyId}/close`,
        headers: auth(EDITOR),
      });
      expect(res.json()).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      const again = await app.inject({
        method: 'POST',
        url: `/v1/stories/${storyId}/close`,
        headers: auth(EDITOR),
      });
      expect(again.json().closedAt).toBe(res.json().closedAt);
      const reopen = await app.inject({
        method: 'PATCH',
        url: `/v1/stories/${storyId}`,
        headers: auth(EDITOR),
        payload: { status: 'open' },
      });
      expect(reopen.json().status).toBe('open');
      expect(reopen.json().closedAt).toBeUndefined();
    });
  });

  it('GET /metrics is Prometheus text with queue depths, photos by status and process stats', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const line of [
      /^lightbox_queue_jobs\{stage="render",state="waiting",service="api"\} \d+$/m,
      /^lightbox_photos\{status="received",service="api"\} \d+$/m,
      /^lightbox_dead_letters\{service="api"\} \d+$/m,
      /^process_resident_memory_bytes\{service="api"\} \d+/m,
      /^lightbox_s3_requests_total\{command="PutObjectCommand",service="api"\} \d+$/m,
    ])
      expect(res.body).toMatch(line);
  });

  it('GET /v1/queues lists every stage', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/queues', headers: auth(EDITOR) });
    expect(res.json().map((q: { name: string }) => q.name)).toEqual([...STAGES]);
    expect(res.json()[0]).toEqual({
      name: 'ingest',
      waiting: expect.any(Number),
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
      paused: false,
    });
  });

  it('GET /v1/stats gives photos per minute and latency, to editors only', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/stats' })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/v1/stats', headers: auth(EDITOR) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.perMinute).toHaveLength(60);
    expect(body.perMinute.at(-1)).toEqual({
      minute: expect.any(Number),
      received: expect.any(Number),
      published: expect.any(Number),
      failed: expect.any(Number),
    });
    expect(Object.keys(body.latency).sort()).toEqual(['p50', 'p95', 'samples', 'withWaits']);
  });
});
