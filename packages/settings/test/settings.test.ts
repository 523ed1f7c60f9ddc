import { randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSettings, RuntimeSettings, type StoredWebhook } from '../src/index.js';

const hook = (id: string, url = `https://${id}.example.com/hook`) => ({
  id,
  url,
  secret: `${id}-secret-0123456789`,
  events: ['gallery.published' as const],
});
const stored = (id: string, by = 'admin:jane'): StoredWebhook => ({
  ...hook(id),
  version: 1,
  source: 'admin',
  createdAt: '2025-01-06T09:00:00.000Z',
  createdBy: by,
  updatedAt: '2025-01-06T09:00:00.000Z',
  updatedBy: by,
});

describe('runtime settings in Redis', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startLocalRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('creates once per id, replaces by compare-and-set, removes; each change bumps the revision', async () => {
    const settings = new RuntimeSettings(redis, randomPrefix('settings'));
    expect(await settings.revision()).toBe(0);
    expect(await settings.create('webhooks', stored('cms'))).toBe(true);
    expect(await settings.create('webhooks', stored('cms', 'admin:joe'))).toBe(false);
    expect(await settings.revision()).toBe(1);
    const current = (await settings.get('webhooks', 'cms')) as StoredWebhook;
    const next = { ...current, url: 'https://cms2.example.com/hook' };
    expect(await settings.replace('webhooks', current, next)).toBe(true);
    expect(
      await settings.replace('webhooks', current, { ...current, url: 'https://stale.example.com/' }),
    ).toBe(false);
    expect((await settings.list('webhooks')).map((w) => w.url)).toEqual(['https://cms2.example.com/hook']);
    expect((await settings.remove('webhooks', 'cms'))?.url).toBe('https://cms2.example.com/hook');
    expect(await settings.remove('webhooks', 'cms')).toBeUndefined();
    expect(await settings.revision()).toBe(3);
  });

  it('the environment seeds at start; admins’ changes stand until the environment’s entry changes', async () => {
    const settings = new RuntimeSettings(redis, randomPrefix('settings'));
    expect(await settings.seed('webhooks', [hook('site'), hook('alerts')])).toEqual({
      added: ['site', 'alerts'],
      removed: [],
    });
    // Every process seeds at start: the same entries again change nothing.
    const revision = await settings.revision();
    expect(await settings.seed('webhooks', [hook('site'), hook('alerts')])).toEqual({
      added: [],
      removed: [],
    });
    expect(await settings.revision()).toBe(revision);
    expect((await settings.get('webhooks', 'site'))?.source).toBe('environment');

    // An admin deletes one and edits the other: a restart with the same environment keeps that.
    await settings.remove('webhooks', 'alerts');
    const site = (await settings.get('webhooks', 'site')) as StoredWebhook;
    await settings.replace('webhooks', site, {
      ...site,
      url: 'https://edited.example.com/',
      source: 'admin',
    });
    await settings.seed('webhooks', [hook('site'), hook('alerts')]);
    expect((await settings.list('webhooks')).map((w) => [w.id, w.url])).toEqual([
      ['site', 'https://edited.example.com/'],
    ]);
    // The environment's entry changes: it is written again.
    await settings.seed('webhooks', [hook('site'), hook('alerts', 'https://alerts2.example.com/')]);
    expect((await settings.get('webhooks', 'alerts'))?.url).toBe('https://alerts2.example.com/');
    // Gone from the environment: a seeded entry goes, an admin's takes-over stays.
    expect(await settings.seed('webhooks', [])).toEqual({ added: [], removed: ['alerts'] });
    expect((await settings.list('webhooks')).map((w) => w.id)).toEqual(['site']);
  });

  it('LiveSettings picks up a change made elsewhere within one poll, and tells listeners', async () => {
    const prefix = randomPrefix('settings');
    const admin = new RuntimeSettings(redis, prefix);
    const live = new LiveSettings(new RuntimeSettings(redis, prefix), { pollMs: 50 });
    let reloads = 0;
    live.onChange(() => {
      reloads++;
    });
    await live.start();
    try {
      expect(live.webhooks()).toEqual([]);
      await admin.create('webhooks', stored('cms'));
      const started = Date.now();
      while (live.webhooks().length === 0 && Date.now() - started < 5000)
        await new Promise((r) => setTimeout(r, 10));
      expect(live.webhooks()).toEqual([hook('cms')]);
      expect(reloads).toBe(2);
      expect(await live.refresh()).toBe(false); // nothing changed since
    } finally {
      live.close();
    }
  });
});
