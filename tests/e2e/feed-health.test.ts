import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoPath, eventually, tempDir } from '@lightbox/test-infra';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeClock,
  fakeClock,
  type InProcessStack,
  startInProcessStack,
} from '../support/in-process-stack.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const MIN = 60_000;
const FEED = 'feed-key-ap';
const EDITOR = 'editor-token-desk';

/**
 * Feed health end to end with a fake clock (issue 16): a feed whose cadence the rules file sets goes
 * silent, and the desk hears of it everywhere at once — one `feed.silent` webhook, `/metrics`, the
 * dashboard's red banner naming it, the Feeds page and `GET /v1/feeds` — then recovers with one
 * `feed.recovered`; a burst of bad transmissions (intake's and a stage's rejections) fires
 * `feed.rejecting`. Time moves by the clock, never by sleeping; the check runs on the worker's
 * release queue as its scheduler runs it.
 */
describe('feed health on the real API and worker (fake clock)', () => {
  let stack: InProcessStack;
  let clock: FakeClock;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let checks = 0;

  beforeAll(async () => {
    dir = await tempDir();
    const rules = join(dir.path, 'feeds.yaml');
    await writeFile(rules, 'version: 1\nfeeds:\n  ap:\n    cadence: { expectedPerHour: 60 }\n');
    receiver = await startWebhookReceiver();
    clock = fakeClock(Date.parse('2025-01-06T09:00:00Z'));
    stack = await startInProcessStack(
      {
        LIGHTBOX_FEED_KEYS: `ap:${FEED}`,
        LIGHTBOX_EDITOR_TOKENS: EDITOR,
        LIGHTBOX_FEED_RULES_FILE: rules,
        LIGHTBOX_WEBHOOKS: JSON.stringify([
          {
            id: 'desk-alerts',
            url: receiver.url,
            secret: 'feed-health-secret-0123',
            events: ['feed.silent', 'feed.rejecting', 'feed.recovered'],
          },
        ]),
        LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
        LIGHTBOX_WEBHOOK_RETRY_BASE_MS: '50',
      },
      clock,
    );
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await dir?.remove();
  });

  const push = async (body: Buffer) =>
    stack.app.inject({
      method: 'POST',
      url: '/v1/photos',
      headers: { authorization: `Bearer ${FEED}`, 'content-type': 'image/jpeg' },
      body,
    });
  const get = (url: string) =>
    stack.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${EDITOR}` } });
  /** One run of the check the worker's scheduler repeats, on the worker, at the clock's time. */
  const check = async () => {
    const jobId = `feed-check-${++checks}`;
    await stack.api.queues.add('release', { sweep: 'feeds' }, { jobId });
    await eventually(
      async () => (await stack.api.queues.queue('release').getJob(jobId))?.isCompleted(),
      20_000,
    );
  };
  const feedEvents = () => receiver.deliveries.filter((d) => d.type.startsWith('feed.'));
  const incidentOf = (d: { data: Record<string, unknown> } | undefined) =>
    (d?.data.incident ?? {}) as { id?: string; reason?: string };
  const sample = async (name: string) => {
    const text = (await stack.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(text.match(new RegExp(`^${name}\\{feed="ap"[^}]*\\} (\\S+)$`, 'm'))?.[1]);
  };
  const picture = (n: number) =>
    sharp({
      create: {
        width: 32,
        height: 24,
        channels: 3,
        background: { r: (n * 37) % 256, g: (n * 71) % 256, b: 140 },
      },
    })
      .jpeg()
      .toBuffer();

  it('a feed silent past its cadence: one feed.silent, the metric, the banner naming it, the Feeds page', async () => {
    const schedulers = await stack.api.queues.queue('release').getJobSchedulers();
    expect(schedulers.map((j) => j.key)).toContain('feed-health');
    expect((await push(await picture(1))).statusCode).toBe(202);
    const arrived = clock();
    expect(await sample('lightbox_feed_last_arrival_timestamp_seconds')).toBe(Math.floor(arrived / 1000));
    expect(await sample('lightbox_feed_silent')).toBe(0);

    clock.advance(5 * MIN);
    await check();
    expect(feedEvents()).toEqual([]); // about 5 expected, but not 10 minutes yet

    clock.advance(10 * MIN);
    await check();
    await check(); // the next run finds the same incident: nothing fires again
    await eventually(async () => feedEvents().length === 1);
    const [silent] = feedEvents();
    expect(silent).toMatchObject({
      type: 'feed.silent',
      data: { feed: 'ap', incident: { kind: 'silence' } },
    });
    expect(await sample('lightbox_feed_silent')).toBe(1);

    const overview = await get('/');
    expect(overview.body).toMatch(/Problem:<\/strong> Feed ap is silent: no arrival for 15 min/);
    const page = await get('/dashboard/feeds');
    expect(page.body).toMatch(/<tr data-feed="ap" class="alarm">/);
    expect(page.body).toContain('Silent');
    const feeds = (await get('/v1/feeds')).json() as {
      feed: string;
      silent: boolean;
      expectedThisHour: number;
    }[];
    expect(feeds).toEqual([
      expect.objectContaining({ feed: 'ap', silent: true, expectedThisHour: 60, cadence: 'set' }),
    ]);
  });

  it('the next transmission ends it: one feed.recovered naming the same incident', async () => {
    clock.advance(20 * MIN);
    expect((await push(await picture(2))).statusCode).toBe(202);
    clock.advance(MIN);
    await check();
    await check();
    await eventually(async () => feedEvents().length === 2);
    const [silent, recovered] = feedEvents();
    expect(recovered?.type).toBe('feed.recovered');
    expect(incidentOf(recovered).id).toBe(incidentOf(silent).id);
    expect(await sample('lightbox_feed_silent')).toBe(0);
    // The overview is computed at most every 2 s for every viewer: the next one has no banner.
    await eventually(async () => !(await get('/')).body.includes('Feed ap is silent'));
    const page = await get('/dashboard/feeds');
    expect(page.body).toMatch(/<strong>Silence<\/strong> from .* to /);
  });

  it('a jump in rejections (at intake and at a stage) fires feed.rejecting', async () => {
    for (let i = 0; i < 8; i++) expect((await push(await picture(10 + i))).statusCode).toBe(202);
    // Bad input: not a picture (intake), and a JPEG cut short (a stage rejects it, or intake itself).
    for (let i = 0; i < 4; i++) expect((await push(Buffer.from(`not a picture ${i}`))).statusCode).toBe(422);
    const cut = await push((await readFile(demoPath('wire/OLY_MARATHON_W.jpg'))).subarray(0, 3000));
    expect([202, 422]).toContain(cut.statusCode);
    await eventually(async () => (await stack.api.queues.isIdle()) === true, 30_000);
    clock.advance(MIN);
    await check();
    await eventually(async () => feedEvents().some((d) => d.type === 'feed.rejecting'));
    const rejecting = feedEvents().find((d) => d.type === 'feed.rejecting');
    expect(incidentOf(rejecting).reason).toMatch(/^ap: 5 of 1\d transmissions rejected/);
    expect(await sample('lightbox_feed_rejecting')).toBe(1);
    await eventually(async () => /Feed ap is rejecting: 5 of/.test((await get('/')).body));
  });
});
