import { createHash } from 'node:crypto';
import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SessionStore } from '@lightbox/access';
import { ActivityPublisher } from '@lightbox/activity';
import { eventually } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const EDITOR = 'editor-token-sse';

interface Stream {
  status: number;
  text: () => string;
  ended: () => boolean;
  close: () => void;
}

/**
 * Issue 12, finding 5: a live stream kept sending captions and photo ids for 20 s after logout, and
 * 150 streams on one cookie made `/healthz` answer 503 (each stream loaded its own overview).
 */
describe('live dashboard streams (SSE) hold against a hostile client', () => {
  let api: TestApi;
  let base: string;
  let sessions: SessionStore;
  let activity: ActivityPublisher;
  const open: ClientRequest[] = [];

  function stream(cookie: string): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const req = get(
        `${base}/dashboard/events`,
        { headers: { cookie }, agent: false },
        (res: IncomingMessage) => {
          let body = '';
          let done = false;
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => {
            done = true;
          });
          res.on('close', () => {
            done = true;
          });
          res.on('error', () => undefined);
          resolve({
            status: res.statusCode ?? 0,
            text: () => body,
            ended: () => done,
            close: () => req.destroy(),
          });
        },
      );
      req.on('error', reject);
      open.push(req);
    });
  }

  async function signIn(): Promise<{ cookie: string; id: string }> {
    const { id } = await sessions.create({ kind: 'editor', name: 'alice' });
    return { cookie: `lightbox_session=${id}`, id };
  }
  const sessionKey = (id: string) =>
    `${api.config.redisPrefix}:session:${createHash('sha256').update(id).digest('hex')}`;
  const headBuckets = () => api.store.stats.byCommand.HeadBucketCommand ?? 0;

  beforeAll(async () => {
    api = await startTestApi({ LIGHTBOX_EDITOR_TOKENS: `alice:${EDITOR}` });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    sessions = new SessionStore(api.redis, api.config.redisPrefix, api.config.sessionHours);
    activity = new ActivityPublisher(api.redis, api.config.redisPrefix);
  });
  afterAll(async () => {
    for (const r of open) r.destroy();
    await api?.close();
  });

  it('ends a stream at logout: nothing is sent after it', async () => {
    const { cookie } = await signIn();
    const live = await stream(cookie);
    expect(live.status).toBe(200);
    await eventually(async () => live.text().includes('event: stats'));
    const csrf = (await sessions.get(cookie.split('=')[1]))?.csrf as string;
    const logout = await fetch(`${base}/logout`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${csrf}`,
      redirect: 'manual',
    });
    expect(logout.status).toBe(303);
    await eventually(async () => live.ended(), 3_000);
    await activity.publish({
      kind: 'received',
      at: new Date().toISOString(),
      photoId: 'ph_secret',
      caption: 'AFTER LOGOUT',
    });
    await new Promise((r) => setTimeout(r, 600));
    expect(live.text()).not.toContain('AFTER LOGOUT');
    expect(live.text()).toContain('event: session-ended');
  });

  it('ends a stream when its session is revoked or expires elsewhere (within seconds)', async () => {
    const revoked = await signIn();
    const a = await stream(revoked.cookie);
    await eventually(async () => a.text().includes('event: stats'));
    await api.redis.del(sessionKey(revoked.id)); // revoked: another API process, or an admin
    await eventually(async () => a.ended(), 5_000);

    const expiring = await signIn();
    await api.redis.pexpire(sessionKey(expiring.id), 1_500);
    const b = await stream(expiring.cookie);
    expect(b.status).toBe(200);
    await eventually(async () => b.ended(), 5_000);
    await activity.publish({ kind: 'received', at: new Date().toISOString(), caption: 'AFTER EXPIRY' });
    await new Promise((r) => setTimeout(r, 600));
    expect(a.text() + b.text()).not.toContain('AFTER EXPIRY');
  });

  it('allows at most 4 streams per session: the 5th (and the 150th) get 429', async () => {
    const { cookie } = await signIn();
    const accepted = await Promise.all(Array.from({ length: 4 }, () => stream(cookie)));
    expect(accepted.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    const extra = await Promise.all(Array.from({ length: 146 }, () => stream(cookie)));
    expect(new Set(extra.map((s) => s.status))).toEqual(new Set([429]));
    // Closing one frees a place.
    accepted[0]?.close();
    await eventually(async () => (await stream(cookie)).status === 200, 5_000);
    for (const s of accepted) s.close();
  });

  it('200 open streams share one overview per interval and leave /healthz at 200', async () => {
    const before = headBuckets();
    const cookies = await Promise.all(Array.from({ length: 50 }, () => signIn()));
    const streams = await Promise.all(
      cookies.flatMap(({ cookie }) => Array.from({ length: 4 }, () => stream(cookie))),
    );
    expect(streams.filter((s) => s.status === 200)).toHaveLength(200);
    await eventually(async () => streams.every((s) => s.text().includes('event: stats')), 10_000);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ redis: true, s3: true });
    await new Promise((r) => setTimeout(r, 4_100));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // ~5 s of streaming: a handful of overview loads (one S3 ping each) plus the two health checks,
    // not one per stream.
    expect(headBuckets() - before).toBeLessThanOrEqual(8);
    for (const s of streams) s.close();
  });
});
