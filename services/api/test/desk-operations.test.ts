import { readFile } from 'node:fs/promises';
import { objectKeys } from '@lightbox/contracts';
import { BULK_PRIORITY } from '@lightbox/queue';
import { fixturePath } from '@lightbox/test-infra';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const FEED = 'feed-key-ap';
const EDITOR = 'editor-token-1';
const ADMIN = 'admin:admin-token-1';

/** Issue 16 phase B through the JSON API: fresh-first marks, runtime settings, feed health. */
describe('desk operations over HTTP', () => {
  let api: TestApi;
  let app: FastifyInstance;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_FEED_KEYS: `ap:${FEED}`,
      LIGHTBOX_EDITOR_TOKENS: EDITOR,
      LIGHTBOX_ADMIN_TOKENS: ADMIN,
    });
    ({ app } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('fresh first', () => {
    const push = async (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg', ...headers },
        body: await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg')),
      });

    it('X-Lightbox-Priority: bulk marks the photo; its render waits behind live work', async () => {
      const res = await push({ 'x-lightbox-priority': 'bulk' });
      expect(res.statusCode).toBe(202);
      const { photoId } = res.json() as { photoId: string };
      const detail = await app.inject({ method: 'GET', url: `/v1/photos/${photoId}`, headers: auth(EDITOR) });
      expect(detail.json()).toMatchObject({ photoId, priority: 'bulk' });
      const jobs = await api.queues.queue('render').getJobs(['prioritized']);
      expect(jobs.map((j) => [j.data.photoId, j.opts.priority])).toEqual([[photoId, BULK_PRIORITY]]);
    });

    it('refuses a priority it does not know', async () => {
      const res = await push({ 'x-lightbox-priority': 'urgent' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/live or bulk/);
    });
  });

  describe('runtime settings: /v1/admin/webhooks and /v1/admin/inboxes', () => {
    const admin = auth('admin-token-1');
    const call = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      headers = admin,
    ) => app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });

    it('admins only', async () => {
      expect((await call('GET', '/v1/admin/webhooks', undefined, auth(EDITOR))).statusCode).toBe(403);
      expect((await call('GET', '/v1/admin/inboxes', undefined, auth(EDITOR))).statusCode).toBe(403);
      expect((await call('GET', '/v1/admin/webhooks')).statusCode).toBe(200);
    });

    it('webhook subscribers: list, create (secret shown once), update, delete; audited; targets checked', async () => {
      const created = await call('POST', '/v1/admin/webhooks', {
        id: 'cms',
        url: 'https://cms.example.com/hooks/lightbox',
        events: ['gallery.published', 'feed.silent'],
      });
      expect(created.statusCode).toBe(201);
      const { secret } = created.json() as { secret: string };
      expect(secret).toMatch(/^whsec_/);
      const listed = await call('GET', '/v1/admin/webhooks');
      expect(listed.json()).toEqual([
        expect.objectContaining({
          id: 'cms',
          url: 'https://cms.example.com/hooks/lightbox',
          createdBy: 'admin',
        }),
      ]);
      expect(listed.body).not.toContain(secret);
      expect((await api.settings.get('webhooks', 'cms'))?.secret).toBe(secret);

      const refused = await call('POST', '/v1/admin/webhooks', {
        url: 'http://169.254.169.254/latest/meta-data',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toMatch(/cloud metadata/);
      expect(
        (await call('POST', '/v1/admin/webhooks', { id: 'cms', url: 'https://x.example.com/' })).statusCode,
      ).toBe(409);

      const rotated = await call('PATCH', '/v1/admin/webhooks/cms', { rotateSecret: true });
      expect(rotated.statusCode).toBe(200);
      expect(rotated.json().secret).not.toBe(secret);
      expect((await call('PATCH', '/v1/admin/webhooks/nope', { events: ['photo.killed'] })).statusCode).toBe(
        404,
      );
      expect((await call('DELETE', '/v1/admin/webhooks/cms')).statusCode).toBe(204);
      expect((await call('DELETE', '/v1/admin/webhooks/cms')).statusCode).toBe(404);

      const trail = (await api.audit.recent(20)).filter((e) => e.action.startsWith('settings.webhook'));
      expect(trail.map((e) => [e.actor, e.action])).toEqual([
        ['admin', 'settings.webhook.deleted'],
        ['admin', 'settings.webhook.updated'],
        ['admin', 'settings.webhook.created'],
      ]);
      expect(JSON.stringify(trail)).not.toContain('whsec_');
    });

    it('S3 inboxes: the secret access key is never shown; every change audited', async () => {
      const created = await call('POST', '/v1/admin/inboxes', {
        feed: 'afp',
        bucket: 'afp-drop',
        prefix: 'incoming',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'afp-secret-0123456789',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        id: 'afp',
        prefix: 'incoming/',
        accessKeyId: 'AKIAEXAMPLE',
        priority: 'live',
      });
      expect(created.body + (await call('GET', '/v1/admin/inboxes')).body).not.toContain('afp-secret');
      const changed = await call('PATCH', '/v1/admin/inboxes/afp', { priority: 'bulk' });
      expect(changed.json()).toMatchObject({ priority: 'bulk' });
      expect((await call('DELETE', '/v1/admin/inboxes/afp')).statusCode).toBe(204);
      expect(
        (await api.audit.recent(10))
          .filter((e) => e.action.startsWith('settings.inbox'))
          .map((e) => e.action),
      ).toEqual(['settings.inbox.deleted', 'settings.inbox.updated', 'settings.inbox.created']);
    });

    it('are described in the OpenAPI document', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(doc.paths['/v1/admin/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths['/v1/admin/webhooks/{id}'] ?? {}).sort()).toEqual(['delete', 'patch']);
      expect(Object.keys(doc.paths['/v1/admin/inboxes/{id}'] ?? {}).sort()).toEqual(['delete', 'patch']);
      expect(Object.keys(doc.paths['/v1/feeds'] ?? {})).toEqual(['get']);
    });
  });

  describe('dashboard Settings pages (admins only, CSRF like the rest)', () => {
    const signIn = async (token: string) => {
      const login = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${token}`,
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const page = await app.inject({
        method: 'GET',
        url: '/dashboard/settings/webhooks',
        headers: { cookie },
      });
      const csrf = page.body.match(/<meta name="csrf-token" content="([^"]+)">/)?.[1] ?? '';
      return { cookie, csrf, page };
    };
    const form = (fields: [string, string][]) =>
      fields.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

    it('an editor makes an alternate its group’s lead from the story page (CSRF-checked, audited)', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/stories',
        headers: auth(EDITOR),
        payload: {
          slug: 'burst',
          headline: 'A burst of frames',
          event: { name: 'Burst', start: '2025-01-06T09:00:00Z', end: '2025-01-06T11:00:00Z' },
        },
      });
      const storyId = (created.json() as { id: string }).id;
      const frame = (photoId: string) => ({ photoId, renditions: [] });
      await api.store.put(
        objectKeys.gallery(storyId),
        Buffer.from(
          JSON.stringify({
            storyId,
            version: 1,
            updatedAt: '2025-01-06T10:00:00.000Z',
            cover: 'ph_burst1',
            photos: [
              { ...frame('ph_burst1'), caption: 'Frame 1', alternates: [frame('ph_burst2')] },
              { ...frame('ph_solo'), caption: 'Solo', alternates: [] },
            ],
          }),
        ),
        { contentType: 'application/json' },
      );
      const { cookie, csrf } = await signIn(EDITOR);
      const storyPage = await app.inject({
        method: 'GET',
        url: `/dashboard/stories/${storyId}`,
        headers: { cookie },
      });
      expect(storyPage.body).toContain(`hx-post="/dashboard/actions/stories/${storyId}/leads/ph_burst2"`);
      const url = `/dashboard/actions/stories/${storyId}/leads/ph_burst2`;
      expect((await app.inject({ method: 'POST', url, headers: { cookie } })).statusCode).toBe(403);
      const done = await app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf } });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('ph_burst2 now leads its group');
      const layout = await app.inject({
        method: 'GET',
        url: `/v1/stories/${storyId}/gallery`,
        headers: auth(EDITOR),
      });
      expect(layout.json()).toMatchObject({ leads: ['ph_burst2'] });
      const missing = await app.inject({
        method: 'POST',
        url: `/dashboard/actions/stories/${storyId}/leads/ph_nowhere`,
        headers: { cookie, 'x-csrf-token': csrf },
      });
      expect(missing.statusCode).toBe(404);
    });

    it('an editor gets 403 and no Settings link; an admin sees the pages', async () => {
      const editor = await signIn(EDITOR);
      expect(editor.page.statusCode).toBe(403);
      const overview = await app.inject({ method: 'GET', url: '/', headers: { cookie: editor.cookie } });
      expect(overview.body).not.toContain('/dashboard/settings/webhooks');
      const admin = await signIn('admin-token-1');
      expect(admin.page.statusCode).toBe(200);
      expect(admin.page.body).toContain('Webhook subscribers');
      const inboxes = await app.inject({
        method: 'GET',
        url: '/dashboard/settings/inboxes',
        headers: { cookie: admin.cookie },
      });
      expect(inboxes.statusCode).toBe(200);
    });

    it('adds a subscriber from the form (secret shown once), refuses without the CSRF token, audits', async () => {
      const { cookie, csrf } = await signIn('admin-token-1');
      const payload = form([
        ['id', 'desk-slack'],
        ['url', 'https://hooks.example.com/lightbox'],
        ['events', 'feed.silent'],
        ['events', 'feed.recovered'],
      ]);
      const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
      const forged = await app.inject({
        method: 'POST',
        url: '/dashboard/actions/settings/webhooks',
        headers,
        payload,
      });
      expect(forged.statusCode).toBe(403);
      const done = await app.inject({
        method: 'POST',
        url: '/dashboard/actions/settings/webhooks',
        headers: { ...headers, 'x-csrf-token': csrf },
        payload,
      });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('Subscriber desk-slack added.');
      const secret = done.body.match(/<code class="secret">([^<]+)<\/code>/)?.[1];
      expect(await api.settings.get('webhooks', 'desk-slack')).toMatchObject({
        secret,
        events: ['feed.silent', 'feed.recovered'],
      });
      const again = await app.inject({
        method: 'GET',
        url: '/dashboard/settings/webhooks',
        headers: { cookie },
      });
      expect(again.body).toContain('desk-slack');
      expect(again.body).not.toContain(secret as string);
      expect(again.body).toMatch(
        /settings\.webhook\.created — desk-slack: https:\/\/hooks\.example\.com\/lightbox/,
      );

      const refused = await app.inject({
        method: 'POST',
        url: '/dashboard/actions/settings/inboxes',
        headers: { ...headers, 'x-csrf-token': csrf },
        payload: form([
          ['feed', 'afp'],
          ['bucket', 'Not A Bucket'],
        ]),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toMatch(/bucket: an S3 bucket name/);
    });
  });
});
