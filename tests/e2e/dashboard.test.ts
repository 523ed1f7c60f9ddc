import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ActivityPublisher } from '@lightbox/activity';
import { type GalleryManifest, stageIsIdle } from '@lightbox/contracts';
import { demoPath, eventually, REPO_ROOT } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type PhotoView, type QueueView } from '../support/api-types.js';
import { launchChromium, waitInPage } from '../support/browser.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';

const SHOTS = join(REPO_ROOT, 'tests', 'test-output', 'dashboard');

describe('editors’ dashboard in chromium against the real stack', () => {
  let stack: StackUnderTest;
  let browser: Browser;
  let editor: BrowserContext;
  let page: Page;
  let storyId: string;
  const ids = new Map<string, string>();
  const cspViolations: string[] = [];

  const api = stackApi(() => stack);
  const push = async (file: string, bytes?: Buffer) => {
    const res = await api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg', 'x-filename': file.split('/').pop() as string },
      body: bytes ?? (await readFile(file)),
    });
    expect(res.status).toBe(202);
    return (await json<{ photoId: string }>(res)).photoId;
  };
  const shot = (name: string, p: Page = page) =>
    p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const manifest = async () => json<GalleryManifest>(api(`/v1/galleries/${storyId}`));

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    [stack, browser] = await Promise.all([startStackProcess(), launchChromium()]);
    const res = await registerDemoStory(stack);
    storyId = (await json<{ id: string }>(res)).id;
    const files = (await readdir(demoPath('wire'))).sort();
    // All but one: the last ceremony photo is pushed while an editor watches.
    for (const file of files.filter((f) => f !== 'OLY_CLOSING_16.jpg'))
      ids.set(file, await push(demoPath(`wire/${file}`)));
    await eventually(
      async () => (await manifest().catch(() => undefined))?.photos.length === 15,
      120_000,
      500,
    );
    editor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await editor.newPage();
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => cspViolations.push(`page error: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.destroy();
  });

  it('rejects anonymous access', async () => {
    const anonymous = await browser.newContext();
    const p = await anonymous.newPage();
    await p.goto(`${stack.apiUrl}/`);
    expect(new URL(p.url()).pathname).toBe('/login');
    await expect(p.locator('label[for="token"]').textContent()).resolves.toMatch(/token/i);
    for (const path of ['/dashboard/review', '/dashboard/events', '/admin/queues']) {
      const res = await fetch(`${stack.apiUrl}${path}`, { redirect: 'manual' });
      expect([path, res.status, res.headers.get('location')?.startsWith('/login')]).toEqual([
        path,
        303,
        true,
      ]);
    }
    expect((await fetch(`${stack.apiUrl}/v1/review`)).status).toBe(401);
    expect((await fetch(`${stack.apiUrl}/admin/queues/api/queues`)).status).toBe(401);
    // A feed key cannot sign in; a wrong token neither.
    for (const [token, message] of [
      [stack.feedKey, /Feed keys cannot sign in/],
      ['not-a-token', /Unknown token/],
    ] as const) {
      await p.fill('#token', token);
      await p.click('button[type="submit"]');
      await expect(p.locator('.error').textContent()).resolves.toMatch(message);
    }
    await shot('anonymous-refused', p);
    await anonymous.close();
  });

  it('signs in with an editor token (httpOnly, SameSite=Strict session cookie)', async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.fill('#token', stack.editorToken);
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:has-text("Overview")');
    const [cookie] = await editor.cookies();
    expect(cookie).toMatchObject({ name: 'lightbox_session', httpOnly: true, sameSite: 'Strict' });
    expect(await page.locator('.card[data-stage="render"]').count()).toBe(1);
    await page.waitForSelector('#live-state:has-text("live")');
    await shot('signed-in-overview');
  });

  it('shows a photo arriving live, within a second of the event', async () => {
    await page.waitForSelector('#live-state:has-text("live")');
    const photoId = await push(demoPath('wire/OLY_CLOSING_16.jpg'));
    ids.set('OLY_CLOSING_16.jpg', photoId);
    const row = page.locator(`#live-feed tr[data-photo-id="${photoId}"]`).first();
    await row.waitFor({ timeout: 30_000 });
    await page
      .locator(`#live-feed tr[data-photo-id="${photoId}"].kind-published`)
      .first()
      .waitFor({ timeout: 60_000 });
    await expect(row.textContent()).resolves.toMatch(/Tom Cruise|ceremony/i);
    // Cards and charts update from the same stream.
    await waitInPage(page, 'document.querySelector("#chart-throughput canvas") !== null');
    await shot('live-arrival');
  });

  it('keeps up with 100 arrivals a second without freezing the page', async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.waitForSelector('#live-state:has-text("live")');
    await page.evaluate(`(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    })()`);
    const redis = new Redis(stack.redisUrl);
    const publisher = new ActivityPublisher(redis, 'lightbox');
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      await publisher.publish({
        kind: 'received',
        at: new Date().toISOString(),
        photoId: `ph_load${String(i).padStart(4, '0')}`,
        caption: `Load test arrival ${i}: a fan waves a flag in the stands during the closing ceremony`,
        credit: 'AP Photo/Load Test',
      });
      const due = started + (i + 1) * 10;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    await page.locator('#live-feed tr[data-photo-id="ph_load0999"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#live-feed tr').count()).toBe(100);
    const longest = Number(await page.evaluate('window.__longest'));
    expect(longest).toBeLessThan(1000);
    // Still interactive: navigation works at once.
    await page.getByRole('link', { name: 'Photos', exact: true }).click();
    await page.waitForSelector('h1:has-text("Photos")', { timeout: 5000 });
    await shot('after-load');
    redis.disconnect();
  });

  it('assigns a review photo from the inbox', async () => {
    // The demo set leaves photos the matcher was unsure about in review.
    const inbox = await eventually(async () => {
      const list = await json<{ photoId: string }[]>(api('/v1/review', { token: stack.editorToken }));
      return list.length > 0 ? list : undefined;
    }, 30_000);
    await page.goto(`${stack.apiUrl}/dashboard/review`);
    const card = page.locator(`article.review[data-photo-id="${inbox[0]?.photoId}"]`);
    await expect(card.locator('.why').textContent()).resolves.toMatch(/Why:/);
    await shot('review-inbox');
    await card.locator('select').selectOption(storyId);
    await card.locator('form button[type="submit"]').click();
    const decided = page.locator(`article.decided[data-photo-id="${inbox[0]?.photoId}"]`);
    await decided.waitFor();
    await expect(decided.textContent()).resolves.toMatch(new RegExp(`Assigned to ${storyId}`));
    await shot('review-assigned');
    const photo = await json<PhotoView & { match: { manual?: { action: string } } }>(
      api(`/v1/photos/${inbox[0]?.photoId}`, { token: stack.editorToken }),
    );
    expect(photo).toMatchObject({ match: { manual: { action: 'assign' } } });
    expect(['matched', 'published']).toContain(photo.status);
    await page.goto(`${stack.apiUrl}/dashboard/photos/${inbox[0]?.photoId}`);
    await expect(page.locator('.audit').textContent()).resolves.toMatch(/photo\.assign/);
  });

  it('retries a failed job from the failures page', async () => {
    const failedRender = async () =>
      (await json<{ name: string; failed: number }[]>(api('/v1/queues', { token: stack.editorToken }))).find(
        (q) => q.name === 'render',
      )?.failed ?? 0;
    const before = await failedRender();
    // A JPEG cut off in its image data with an end marker appended: intake's header reading and
    // end check take it; render's decode finds the damage and fails it, with its reason.
    const whole = await readFile(demoPath('wire/OLY_MARATHON_W.jpg'));
    const damaged = Buffer.concat([
      whole.subarray(0, Math.floor(whole.length / 3)),
      Buffer.from([0xff, 0xd9]),
    ]);
    const photoId = await push('damaged.jpg', damaged);
    await eventually(async () => (await failedRender()) === before + 1, 30_000);
    await page.goto(`${stack.apiUrl}/dashboard/failures`);
    const row = page.locator('section[data-stage="render"] tr', { hasText: photoId });
    await expect(row.locator('.error').textContent()).resolves.toMatch(
      /truncated|corrupt|unsupported|input/i,
    );
    await shot('failure-listed');
    await row.getByRole('button', { name: /Retry job/ }).click();
    await page.locator('section[data-stage="render"] tr.done').waitFor();
    await expect(page.locator('section[data-stage="render"] tr.done').textContent()).resolves.toMatch(
      /queued again/,
    );
    // The retry ran: the photo is already recorded as rejected, so the job completes and leaves the list.
    await eventually(async () => (await failedRender()) === before, 30_000);
    await page.goto(`${stack.apiUrl}/dashboard/failures`);
    expect(await page.locator('section[data-stage="render"] tr', { hasText: photoId }).count()).toBe(0);
    await shot('failure-retried');
  });

  it('pauses and resumes a stage', async () => {
    await page.goto(`${stack.apiUrl}/dashboard/failures`);
    await page.getByRole('button', { name: 'Pause render' }).click();
    await page.getByRole('button', { name: 'Resume render' }).waitFor();
    await expect(page.locator('section[data-stage="render"] .state').textContent()).resolves.toBe('paused');
    const paused = await json<{ name: string; paused: boolean }[]>(
      api('/v1/queues', { token: stack.editorToken }),
    );
    expect(paused.find((q) => q.name === 'render')?.paused).toBe(true);
    await page.goto(`${stack.apiUrl}/`);
    await page.waitForSelector('.card[data-stage="render"] [data-field="state"]:has-text("paused")');
    await shot('stage-paused');
    await page.goto(`${stack.apiUrl}/dashboard/failures`);
    await page.getByRole('button', { name: 'Resume render' }).click();
    await page.getByRole('button', { name: 'Pause render' }).waitFor();
    const resumed = await json<{ name: string; paused: boolean }[]>(
      api('/v1/queues', { token: stack.editorToken }),
    );
    expect(resumed.find((q) => q.name === 'render')?.paused).toBe(false);
  });

  it('reorders a gallery and shows the manifest version bump', async () => {
    await eventually(async () => (await manifest()).photos.length >= 16, 60_000);
    await eventually(
      async () =>
        (await json<QueueView[]>(api('/v1/queues', { token: stack.editorToken }))).every(stageIsIdle),
      60_000,
    );
    await page.goto(`${stack.apiUrl}/dashboard/stories/${storyId}`);
    await page.waitForSelector('body[data-ready="true"]');
    const tiles = page.locator('#gallery li.tile');
    const order = async () =>
      tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-photo-id') as string));
    const shown = Number(await page.locator('#published').getAttribute('data-version'));
    const initial = await order();
    await tiles
      .first()
      .getByRole('button', { name: /Move .* down/ })
      .click();
    const moved = [initial[1], initial[0], ...initial.slice(2)];
    expect(await order()).toEqual(moved);
    await page.getByRole('button', { name: 'Save order' }).click();
    await waitInPage(page, `Number(document.getElementById('published').dataset.version) > ${shown}`);
    await expect(page.locator('#save-state').textContent()).resolves.toMatch(/Published as version \d+/);
    const after = await manifest();
    expect(after.version).toBeGreaterThan(shown);
    // Editor order first; a photo published after the page loaded would follow it.
    expect(after.photos.map((p) => p.photoId).slice(0, moved.length)).toEqual(moved);
    await shot('gallery-reordered');
  });

  it('creates a story from the dashboard, with clear errors for bad input', async () => {
    await page.goto(`${stack.apiUrl}/dashboard/stories`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('details.new-story summary').click();
    const form = page.locator('details.new-story form');
    await form.locator('[name="slug"]').fill('super-bowl-lix');
    await form.locator('[name="headline"]').fill('Eagles win Super Bowl LIX');
    await form.locator('[name="name"]').fill('Super Bowl LIX');
    await form.locator('[name="city"]').fill('New Orleans');
    await form.locator('[name="start"]').fill('2025-02-09 17:30');
    await form.locator('[name="end"]').fill('PT4H');
    await form.getByRole('button', { name: 'Create story' }).click();
    await expect(page.locator('#new-story-result .error').textContent()).resolves.toMatch(/event\.start/);
    await form.locator('[name="start"]').fill('2025-02-09T17:30:00-06:00');
    await form.getByRole('button', { name: 'Create story' }).click();
    await page.waitForURL(/\/dashboard\/stories\/st_/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Eagles win Super Bowl LIX');
    await expect(page.locator('.meta').textContent()).resolves.toMatch(/2025-02-09T21:30:00-06:00/);
    await shot('story-created');
  });

  it('mounts bull-board: read-only for editors, full for admins', async () => {
    await page.goto(`${stack.apiUrl}/admin/queues`);
    await page.waitForSelector('text=render', { timeout: 30_000 });
    await shot('queue-board');
    const csrfless = await page.evaluate(
      "fetch('/admin/queues/api/queues/render/pause', { method: 'PUT' }).then((r) => r.status)",
    );
    expect(csrfless).toBe(403);
    const asAdmin = await fetch(`${stack.apiUrl}/admin/queues/api/queues/render/pause`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(asAdmin.status).toBeLessThan(300);
    await fetch(`${stack.apiUrl}/admin/queues/api/queues/render/resume`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    // Nothing on any page broke the Content-Security-Policy or threw. (bull-board asks Google
    // Fonts for a typeface; the policy blocks that call out, and its UI falls back to system fonts.)
    expect(cspViolations.filter((v) => !v.includes('fonts.googleapis.com'))).toEqual([]);
  });
});
