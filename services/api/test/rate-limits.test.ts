import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const EDITOR = 'editor-token-limits';
const OTHER_EDITOR = 'editor-token-limits-2';
const PER_PRINCIPAL = 40;
const AUTH = 10;
const PUBLIC = 40;

/**
 * Issue 12, finding 1: the limiter keyed on whatever Bearer token was presented (random guesses
 * were never limited) and put every request without a token in one per-IP bucket (a flood of bogus
 * `/login` posts locked out a signed-in editor and public readers on the same address).
 */
describe('rate limits fit who is asking', () => {
  let api: TestApi;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const inject = (opts: InjectOptions) => api.app.inject(opts);
  let n = 0;
  /** Each case gets its own client address, so the buckets of one case do not leak into another. */
  const nextAddress = () => `198.51.100.${++n}`;
  const randomToken = () => `guess-${Math.random().toString(36).slice(2)}`;

  async function signIn(remoteAddress: string): Promise<string> {
    const res = await inject({
      method: 'POST',
      url: '/login',
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${EDITOR}`,
    });
    expect(res.statusCode).toBe(303);
    return String(res.headers['set-cookie']).split(';')[0] as string;
  }

  async function statuses(count: number, opts: () => InjectOptions): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push((await inject(opts())).statusCode);
    return out;
  }

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_EDITOR_TOKENS: `alice:${EDITOR},bob:${OTHER_EDITOR}`,
      LIGHTBOX_RATE_LIMIT_PER_MINUTE: String(PER_PRINCIPAL),
      LIGHTBOX_AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH),
      LIGHTBOX_PUBLIC_RATE_LIMIT_PER_MINUTE: String(PUBLIC),
    });
  });
  afterAll(async () => api?.close());

  it('random-token guesses are limited in the stricter failed-authentication bucket', async () => {
    const remoteAddress = nextAddress();
    const got = await statuses(AUTH + 5, () => ({
      method: 'GET',
      url: '/v1/stories',
      remoteAddress,
      headers: bearer(randomToken()),
    }));
    expect(got.slice(0, AUTH).every((s) => s === 401)).toBe(true);
    expect(got.slice(AUTH)).toEqual(Array(5).fill(429));
    const res = await inject({ method: 'GET', url: '/v1/stories', remoteAddress, headers: bearer('x') });
    expect(res.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/sign/i) });
  });

  it('anonymous gallery reads with a random Bearer header are limited too', async () => {
    const remoteAddress = nextAddress();
    const got = await statuses(AUTH + 3, () => ({
      method: 'GET',
      url: '/v1/galleries/st_missing',
      remoteAddress,
      headers: bearer(randomToken()),
    }));
    expect(got.slice(AUTH)).toEqual([429, 429, 429]);
  });

  it('a flood of bogus /login posts locks out neither a signed-in editor nor public readers', async () => {
    const remoteAddress = nextAddress();
    const cookie = await signIn(remoteAddress);
    const flood = await statuses(PER_PRINCIPAL + 10, () => ({
      method: 'POST',
      url: '/login',
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${randomToken()}`,
    }));
    expect(flood.filter((s) => s === 429).length).toBeGreaterThanOrEqual(PER_PRINCIPAL);
    // The editor on the same address still works, with the cookie and with the token.
    expect((await inject({ method: 'GET', url: '/', remoteAddress, headers: { cookie } })).statusCode).toBe(
      200,
    );
    expect(
      (await inject({ method: 'GET', url: '/v1/stories', remoteAddress, headers: bearer(EDITOR) }))
        .statusCode,
    ).toBe(200);
    // Public gallery reads from that address are in their own bucket (404: nothing published).
    expect((await inject({ method: 'GET', url: '/v1/galleries/st_x', remoteAddress })).statusCode).toBe(404);
    // Even the sign-in page itself still loads; only posting to it is limited.
    expect((await inject({ method: 'GET', url: '/login', remoteAddress })).statusCode).toBe(200);
  });

  it('a flood of anonymous requests leaves signed-in editors and public readers alone', async () => {
    const remoteAddress = nextAddress();
    const cookie = await signIn(remoteAddress);
    const flood = await statuses(PER_PRINCIPAL + 5, () => ({
      method: 'GET',
      url: '/v1/queues',
      remoteAddress,
    }));
    expect(flood.at(-1)).toBe(429);
    expect((await inject({ method: 'GET', url: '/', remoteAddress, headers: { cookie } })).statusCode).toBe(
      200,
    );
    expect((await inject({ method: 'GET', url: '/v1/galleries/st_x', remoteAddress })).statusCode).toBe(404);
  });

  it('public gallery reads have their own per-address budget', async () => {
    const remoteAddress = nextAddress();
    const got = await statuses(PUBLIC + 2, () => ({
      method: 'GET',
      url: '/v1/galleries/st_x',
      remoteAddress,
    }));
    expect(got.slice(0, PUBLIC).every((s) => s === 404)).toBe(true);
    expect(got.slice(PUBLIC)).toEqual([429, 429]);
    // Another reader is not affected.
    expect(
      (await inject({ method: 'GET', url: '/v1/galleries/st_x', remoteAddress: nextAddress() })).statusCode,
    ).toBe(404);
  });

  it('an authenticated principal is limited per principal, wherever it calls from', async () => {
    const got: number[] = [];
    for (let i = 0; i < PER_PRINCIPAL + 2; i++)
      got.push(
        (
          await inject({
            method: 'GET',
            url: '/v1/queues',
            remoteAddress: nextAddress(),
            headers: bearer(OTHER_EDITOR),
          })
        ).statusCode,
      );
    expect(got.slice(0, PER_PRINCIPAL).every((s) => s === 200)).toBe(true);
    expect(got.slice(PER_PRINCIPAL)).toEqual([429, 429]);
    // Alice has her own budget; health checks are never limited.
    expect((await inject({ method: 'GET', url: '/v1/stories', headers: bearer(EDITOR) })).statusCode).toBe(
      200,
    );
    expect((await inject({ method: 'GET', url: '/healthz', remoteAddress: nextAddress() })).statusCode).toBe(
      200,
    );
  });

  it('without trustProxy, X-Forwarded-For does not move a client into a fresh bucket', async () => {
    const remoteAddress = nextAddress();
    const got = await statuses(AUTH + 2, () => ({
      method: 'GET',
      url: '/v1/stories',
      remoteAddress,
      headers: {
        ...bearer(randomToken()),
        'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 250)}`,
      },
    }));
    expect(got.slice(AUTH)).toEqual([429, 429]);
  });
});

describe('rate limits behind a load balancer (LIGHTBOX_TRUST_PROXY)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_EDITOR_TOKENS: EDITOR,
      LIGHTBOX_AUTH_RATE_LIMIT_PER_MINUTE: '3',
      LIGHTBOX_TRUST_PROXY: '127.0.0.1',
    });
  });
  afterAll(async () => api?.close());

  it('limits each forwarded client on its own address, not the balancer’s', async () => {
    const guess = (client: string) =>
      api.app.inject({
        method: 'GET',
        url: '/v1/stories',
        remoteAddress: '127.0.0.1',
        headers: { authorization: 'Bearer wrong', 'x-forwarded-for': client },
      });
    const first: number[] = [];
    for (let i = 0; i < 5; i++) first.push((await guess('203.0.113.7')).statusCode);
    expect(first).toEqual([401, 401, 401, 429, 429]);
    expect((await guess('203.0.113.8')).statusCode).toBe(401);
  });

  it('refuses a LIGHTBOX_TRUST_PROXY it cannot read', async () => {
    const { loadConfig } = await import('@lightbox/config');
    expect(() => loadConfig({ LIGHTBOX_TRUST_PROXY: 'not an address' })).toThrow(/LIGHTBOX_TRUST_PROXY/);
    expect(loadConfig({ LIGHTBOX_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ LIGHTBOX_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ LIGHTBOX_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(loadConfig({}).trustProxy).toBe(false);
  });
});
