import cookie from '@fastify/cookie';
import { randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Access,
  AccessError,
  findSecret,
  namedToken,
  PrincipalDirectory,
  SessionStore,
} from '../src/index.js';

describe('principals', () => {
  it('names tokens and finds secrets', () => {
    expect(namedToken('alice:s3cret-token', 'editor')).toEqual({
      secret: 's3cret-token',
      value: { kind: 'editor', name: 'alice' },
    });
    expect(namedToken('plain-token', 'admin').value.name).toMatch(/^admin-[0-9a-f]{6}$/);
    const entries = [
      { secret: 'a', value: 1 },
      { secret: 'b', value: 2 },
    ];
    expect(findSecret('b', entries)).toBe(2);
    expect(findSecret('c', entries)).toBeUndefined();
    const dir = new PrincipalDirectory(
      [{ feed: 'ap', key: 'feed-key' }],
      ['ed:editor-token'],
      ['admin-token'],
    );
    expect(dir.identify('feed-key')).toMatchObject({ kind: 'feed', feed: 'ap' });
    expect(dir.identify('editor-token')).toMatchObject({ kind: 'editor', name: 'ed' });
    expect(dir.identify('admin-token')?.kind).toBe('admin');
    expect(dir.identify('')).toBeUndefined();
  });
});

describe('Access on Fastify with real Redis sessions', () => {
  let server: TestRedis;
  let redis: Redis;
  let app: FastifyInstance;
  let access: Access;

  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url);
    access = new Access(
      new PrincipalDirectory([{ feed: 'ap', key: 'feed-key' }], ['editor-token'], ['admin-token']),
      new SessionStore(redis, randomPrefix('access'), 1),
    );
    app = Fastify();
    await app.register(cookie);
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof AccessError) return reply.code(err.statusCode).send({ code: err.code });
      return reply.code(500).send({ code: 'internal' });
    });
    app.post<{ Body: { token: string } }>('/login', async (request, reply) => {
      const { id } = await access.signIn(request.body.token);
      return reply.header('set-cookie', access.sessionCookie(id, false)).send({ ok: true });
    });
    app.get('/read', { preHandler: access.requireEditor }, async (request) => ({
      who: request.principal?.name,
    }));
    app.post('/act', { preHandler: access.requireEditor }, async () => ({ ok: true }));
    app.post('/admin', { preHandler: access.requireAdmin }, async () => ({ ok: true }));
    app.post('/push', { preHandler: access.requireFeed }, async () => ({ ok: true }));
    app.put('/board', { preHandler: access.requireQueueBoard }, async () => ({ ok: true }));
    app.get('/board', { preHandler: access.requireQueueBoard }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await server?.stop();
  });

  const signIn = async (token: string) => {
    const res = await app.inject({ method: 'POST', url: '/login', payload: { token } });
    const setCookie = String(res.headers['set-cookie']);
    const sid = setCookie.match(/lightbox_session=([^;]+)/)?.[1] as string;
    const session = await access.sessions.get(sid);
    return { res, setCookie, cookie: `lightbox_session=${sid}`, csrf: session?.csrf as string };
  };

  it('issues an httpOnly, SameSite=Strict session cookie to editors and admins only', async () => {
    const { setCookie } = await signIn('editor-token');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(
      (await app.inject({ method: 'POST', url: '/login', payload: { token: 'feed-key' } })).statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/login', payload: { token: 'nope' } })).statusCode).toBe(
      401,
    );
  });

  it('reads with the cookie; state changes need the CSRF token and the same origin', async () => {
    const { cookie, csrf } = await signIn('editor-token');
    expect((await app.inject({ method: 'GET', url: '/read', headers: { cookie } })).json().who).toMatch(
      /^editor-/,
    );
    const act = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/act', headers: { cookie, ...headers } });
    expect((await act({})).json()).toEqual({ code: 'csrf_failed' });
    expect((await act({ 'x-csrf-token': 'wrong' })).statusCode).toBe(403);
    expect(
      (await act({ 'x-csrf-token': csrf, origin: 'https://evil.example', host: 'localhost' })).statusCode,
    ).toBe(403);
    expect((await act({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await act({ 'x-csrf-token': csrf })).statusCode).toBe(200);
    expect(
      (await act({ 'x-csrf-token': csrf, origin: 'http://localhost:80', host: 'localhost:80' })).statusCode,
    ).toBe(200);
  });

  it('bearer tokens need no CSRF; roles are enforced; anonymous callers get 401', async () => {
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    expect(
      (await app.inject({ method: 'POST', url: '/act', headers: bearer('editor-token') })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/act', headers: bearer('feed-key') })).statusCode).toBe(
      403,
    );
    expect(
      (await app.inject({ method: 'POST', url: '/push', headers: bearer('editor-token') })).statusCode,
    ).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/push', headers: bearer('feed-key') })).statusCode).toBe(
      200,
    );
    expect(
      (await app.inject({ method: 'POST', url: '/admin', headers: bearer('editor-token') })).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: '/admin', headers: bearer('admin-token') })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/read' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/read', headers: { cookie: 'lightbox_session=forged' } }))
        .statusCode,
    ).toBe(401);
  });

  it('keeps the queue board read-only for editors', async () => {
    const editor = await signIn('editor-token');
    const admin = await signIn('admin-token');
    expect(
      (await app.inject({ method: 'GET', url: '/board', headers: { cookie: editor.cookie } })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'PUT', url: '/board', headers: { cookie: editor.cookie } })).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'PUT', url: '/board', headers: { cookie: admin.cookie } })).statusCode,
    ).toBe(200);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/board',
          headers: { cookie: admin.cookie, origin: 'https://evil.example', host: 'localhost' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('signs out by destroying the session', async () => {
    const { cookie } = await signIn('editor-token');
    const sid = cookie.split('=')[1];
    await access.sessions.destroy(sid);
    expect((await app.inject({ method: 'GET', url: '/read', headers: { cookie } })).statusCode).toBe(401);
  });
});
