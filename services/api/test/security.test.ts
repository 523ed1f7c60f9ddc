import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '@lightbox/config';
import { fixturePath } from '@lightbox/test-infra';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const FEED = 'feed-key-security';
const EDITOR = 'editor-token-security';
const ADMIN = 'admin-token-security';
const READER = 'reader-token-security';

/** One failing input per security rule (docs/security.md). */
describe('security rules, each with a failing input', () => {
  let api: TestApi;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_FEED_KEYS: `wire:${FEED}`,
      LIGHTBOX_EDITOR_TOKENS: `alice:${EDITOR}`,
      LIGHTBOX_ADMIN_TOKENS: ADMIN,
      LIGHTBOX_GALLERY_READ_TOKENS: READER,
      LIGHTBOX_MAX_UPLOAD_BYTES: '100000',
      LIGHTBOX_RATE_LIMIT_PER_MINUTE: '40',
    });
  });
  afterAll(async () => api?.close());

  const inject = (opts: InjectOptions) => api.app.inject(opts);

  it('wrong key: 401 with the error format', async () => {
    const res = await inject({ method: 'GET', url: '/v1/stories', headers: bearer('wrong') });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('feed key on an editor route, editor token on the push route, reader on an editor route: 403', async () => {
    expect((await inject({ method: 'GET', url: '/v1/stories', headers: bearer(FEED) })).statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: '/v1/stories', headers: bearer(READER) })).statusCode).toBe(
      403,
    );
    const push = await inject({
      method: 'POST',
      url: '/v1/photos',
      headers: { ...bearer(EDITOR), 'content-type': 'image/jpeg' },
      payload: Buffer.from([0xff, 0xd8, 0xff]),
    });
    expect(push.statusCode).toBe(403);
  });

  it('missing or wrong CSRF token on a cookie-authenticated change: 403 csrf_failed', async () => {
    const login = await inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${EDITOR}`,
    });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const create = (headers: Record<string, string>) =>
      inject({
        method: 'POST',
        url: '/v1/stories',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        payload: {
          slug: 'csrf',
          headline: 'h',
          event: { name: 'e', start: '2024-08-11T21:00:00+02:00', end: '2024-08-11T23:00:00+02:00' },
        },
      });
    expect((await create({})).json().error.code).toBe('csrf_failed');
    expect((await create({ 'x-csrf-token': 'guess' })).statusCode).toBe(403);
    // Reading with the cookie needs no token.
    expect((await inject({ method: 'GET', url: '/v1/stories', headers: { cookie } })).statusCode).toBe(200);
  });

  it('path traversal in a file name: refused with a recorded reason, never used as a key', async () => {
    const res = await inject({
      method: 'POST',
      url: '/v1/photos',
      headers: { ...bearer(FEED), 'content-type': 'image/jpeg', 'x-filename': '../../etc/passwd.jpg' },
      payload: await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg')),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/path|name/i);
    expect((await api.store.list('')).some((k) => k.includes('..') || k.includes('passwd'))).toBe(false);
  });

  it('oversized body: 413 (photos over the upload limit, JSON over 1 MB)', async () => {
    const big = await inject({
      method: 'POST',
      url: '/v1/photos',
      headers: { ...bearer(FEED), 'content-type': 'image/jpeg' },
      payload: Buffer.alloc(200_000, 1),
    });
    expect(big.statusCode).toBe(413);
    const json = await inject({
      method: 'POST',
      url: '/v1/stories',
      headers: { ...bearer(EDITOR), 'content-type': 'application/json' },
      payload: JSON.stringify({ slug: 'x', headline: 'y'.repeat(2_000_000) }),
    });
    expect(json.statusCode).toBe(413);
  });

  it('unknown fields are refused (zod strict)', async () => {
    const res = await inject({
      method: 'POST',
      url: '/v1/stories',
      headers: bearer(EDITOR),
      payload: {
        slug: 'strict',
        headline: 'h',
        event: { name: 'e', start: '2024-08-11T21:00:00+02:00', end: '2024-08-11T23:00:00+02:00' },
        admin: true,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/admin/);
  });

  it('galleries need a read token when configured', async () => {
    expect((await inject({ method: 'GET', url: '/v1/galleries/st_x' })).statusCode).toBe(401);
    expect(
      (await inject({ method: 'GET', url: '/v1/galleries/st_x', headers: bearer(FEED) })).statusCode,
    ).toBe(403);
    expect(
      (await inject({ method: 'GET', url: '/v1/galleries/st_x', headers: bearer(READER) })).statusCode,
    ).toBe(404);
    expect(
      (await inject({ method: 'GET', url: '/v1/galleries/st_x', headers: bearer(EDITOR) })).statusCode,
    ).toBe(404);
    const reader = await inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${READER}`,
    });
    expect(reader.statusCode).toBe(403);
  });

  it('only admins manage feeds; a created key pushes, a revoked one is refused', async () => {
    expect(
      (
        await inject({
          method: 'POST',
          url: '/v1/admin/feeds',
          headers: bearer(EDITOR),
          payload: { feed: 'afp' },
        })
      ).statusCode,
    ).toBe(403);
    const created = await inject({
      method: 'POST',
      url: '/v1/admin/feeds',
      headers: bearer(ADMIN),
      payload: { feed: 'afp' },
    });
    expect(created.statusCode).toBe(201);
    const { key } = created.json();
    const push = () =>
      inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...bearer(key), 'content-type': 'image/jpeg', 'x-filename': 'x.jpg' },
        payload: Buffer.from('not an image'),
      });
    expect((await push()).statusCode).toBe(422); // authenticated as the afp feed; the bytes are bad
    expect((await inject({ method: 'GET', url: '/v1/admin/feeds', headers: bearer(ADMIN) })).json()).toEqual([
      expect.objectContaining({ feed: 'afp', createdBy: expect.stringMatching(/^admin-/) }),
    ]);
    expect(
      (await inject({ method: 'DELETE', url: '/v1/admin/feeds/afp', headers: bearer(ADMIN) })).statusCode,
    ).toBe(204);
    expect((await push()).statusCode).toBe(401);
    const bad = await inject({
      method: 'POST',
      url: '/v1/admin/feeds',
      headers: bearer(ADMIN),
      payload: { feed: '../x' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('sends security headers', async () => {
    const res = await inject({ method: 'GET', url: '/login' });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('rate-limits per principal: 429 rate_limited (more cases in rate-limits.test.ts)', async () => {
    let last = 0;
    let body: { error?: { code: string } } = {};
    for (let i = 0; i < 45; i++) {
      const res = await inject({ method: 'GET', url: '/v1/queues', headers: bearer(ADMIN) });
      last = res.statusCode;
      if (last === 429) {
        body = res.json();
        break;
      }
    }
    expect(last).toBe(429);
    expect(body.error?.code).toBe('rate_limited');
    // Another token has its own budget; health checks are never limited.
    expect((await inject({ method: 'GET', url: '/v1/stories', headers: bearer(EDITOR) })).statusCode).toBe(
      200,
    );
    expect((await inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('webhook targets must be in the allow-list when one is set', () => {
    const hooks = JSON.stringify([{ url: 'https://evil.example/hook', secret: 'a-long-enough-secret' }]);
    expect(() =>
      loadConfig({
        LIGHTBOX_WEBHOOKS: hooks,
        LIGHTBOX_WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com,*.newsroom.example',
      }),
    ).toThrow(ConfigError);
    const ok = JSON.stringify([{ url: 'https://cms.newsroom.example/hook', secret: 'a-long-enough-secret' }]);
    expect(
      loadConfig({ LIGHTBOX_WEBHOOKS: ok, LIGHTBOX_WEBHOOK_ALLOWED_HOSTS: '*.newsroom.example' }).webhooks
        .subscribers,
    ).toHaveLength(1);
    expect(() =>
      loadConfig({
        LIGHTBOX_WEBHOOKS: JSON.stringify([{ url: 'file:///etc/passwd', secret: 'a-long-enough-secret' }]),
      }),
    ).toThrow(ConfigError);
  });
});
