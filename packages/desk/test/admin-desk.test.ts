import { AuditLog } from '@lightbox/catalog';
import { RuntimeSettings } from '@lightbox/settings';
import { DeskError } from '@lightbox/story-desk';
import { randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { type Actor, AdminDesk, webhookViewSchema, webhookWithSecretSchema } from '../src/index.js';

const admin: Actor = { name: 'admin-jane', role: 'admin' };

describe('AdminDesk: webhook subscribers and S3 inboxes at run time', () => {
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

  const desk = (allowedNetworks: string[] = []) => {
    const prefix = randomPrefix('admin');
    const audit = new AuditLog(redis, prefix);
    const settings = new RuntimeSettings(redis, prefix);
    return {
      audit,
      settings,
      desk: new AdminDesk({ settings, audit, webhookTargets: { allowedHosts: [], allowedNetworks } }),
    };
  };

  it('creates a subscriber with a generated secret shown once; lists never show it; every change audited', async () => {
    const { desk: d, settings, audit } = desk();
    const created = await d.createWebhook(
      { url: 'https://cms.example.com/hook', events: ['photo.killed'] },
      admin,
    );
    expect(webhookWithSecretSchema.parse(created)).toMatchObject({
      id: 'webhook-1',
      url: 'https://cms.example.com/hook',
      events: ['photo.killed'],
      source: 'admin',
      createdBy: 'admin-jane',
    });
    expect(created.secret).toMatch(/^whsec_[\w-]{32}$/);
    expect((await settings.get('webhooks', 'webhook-1'))?.secret).toBe(created.secret);
    const listed = await d.webhooks();
    expect(listed).toEqual([webhookViewSchema.parse(listed[0])]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const defaults = await d.createWebhook(
      { id: 'site', url: 'https://www.example.com/h', secret: 'a-secret-of-16-chars' },
      admin,
    );
    expect(defaults.events).toEqual([
      'gallery.published',
      'gallery.updated',
      'photo.killed',
      'photo.expired',
    ]);
    await expect(d.createWebhook({ id: 'site', url: 'https://x.example.com/' }, admin)).rejects.toMatchObject(
      {
        code: 'conflict',
      },
    );

    const rotated = await d.updateWebhook(
      { id: 'site', body: { rotateSecret: true, events: ['feed.silent'] } },
      admin,
    );
    expect('secret' in rotated && rotated.secret).toMatch(/^whsec_/);
    const moved = await d.updateWebhook({ id: 'site', body: { url: 'https://www2.example.com/h' } }, admin);
    expect(moved).not.toHaveProperty('secret');
    await d.deleteWebhook({ id: 'webhook-1' }, admin);
    await expect(d.deleteWebhook({ id: 'webhook-1' }, admin)).rejects.toMatchObject({ code: 'not_found' });

    const trail = (await d.changes()).map((e) => [e.actor, e.action, e.detail]);
    expect(trail).toEqual([
      ['admin-jane', 'settings.webhook.deleted', 'webhook-1: https://cms.example.com/hook (photo.killed)'],
      ['admin-jane', 'settings.webhook.updated', 'site: https://www2.example.com/h (feed.silent)'],
      ['admin-jane', 'settings.webhook.updated', 'site: https://www.example.com/h (feed.silent); new secret'],
      [
        'admin-jane',
        'settings.webhook.created',
        expect.stringMatching(/^site: https:\/\/www.example.com\/h/),
      ],
      ['admin-jane', 'settings.webhook.created', 'webhook-1: https://cms.example.com/hook (photo.killed)'],
    ]);
    expect(JSON.stringify(await audit.recent(50))).not.toMatch(/whsec_|a-secret-of-16-chars/);
  });

  it("refuses private, loopback and metadata targets unless LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS lists them (issue 12's rules)", async () => {
    const { desk: d } = desk();
    for (const url of [
      'http://127.0.0.1:8080/h',
      'http://169.254.169.254/latest',
      'http://10.1.2.3/h',
      'http://localhost/h',
    ])
      await expect(d.createWebhook({ url }, admin)).rejects.toBeInstanceOf(DeskError);
    await d.createWebhook({ id: 'ok', url: 'https://cms.example.com/h' }, admin);
    await expect(d.updateWebhook({ id: 'ok', body: { url: 'http://[::1]/h' } }, admin)).rejects.toThrow(
      /loopback/,
    );
    await expect(d.createWebhook({ url: 'ftp://cms.example.com/' }, admin)).rejects.toBeInstanceOf(ZodError);
    const internal = desk(['10.20.0.0/16']).desk;
    expect((await internal.createWebhook({ url: 'http://10.20.3.4/hook' }, admin)).url).toBe(
      'http://10.20.3.4/hook',
    );
  });

  it('manages S3 inboxes: the secret access key is write-only; the prefix ends in /', async () => {
    const { desk: d, settings } = desk();
    const inbox = await d.createInbox(
      {
        feed: 'afp',
        bucket: 'agency-drop',
        prefix: 'incoming/afp',
        priority: 'bulk',
        endpoint: 'https://s3.agency.example',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'agency-secret-0123456789',
      },
      admin,
    );
    expect(inbox).toMatchObject({
      id: 'afp',
      feed: 'afp',
      bucket: 'agency-drop',
      prefix: 'incoming/afp/',
      priority: 'bulk',
      accessKeyId: 'AKIAEXAMPLE',
    });
    expect(JSON.stringify([inbox, ...(await d.inboxes())])).not.toContain('agency-secret');
    expect((await settings.get('inboxes', 'afp'))?.secretAccessKey).toBe('agency-secret-0123456789');
    expect((await d.createInbox({ feed: 'afp', bucket: 'other-drop' }, admin)).id).toBe('afp-1');
    await expect(
      d.createInbox({ feed: 'afp', bucket: 'x', accessKeyId: 'AKIA' }, admin),
    ).rejects.toBeInstanceOf(ZodError);
    const own = await d.updateInbox(
      { id: 'afp', body: { endpoint: null, accessKeyId: null, secretAccessKey: null, priority: 'live' } },
      admin,
    );
    expect(own).toMatchObject({ endpoint: null, accessKeyId: null, priority: 'live' });
    await d.deleteInbox({ id: 'afp-1' }, admin);
    expect((await d.inboxes()).map((i) => i.id)).toEqual(['afp']);
    expect((await d.changes()).map((e) => e.action)).toEqual([
      'settings.inbox.deleted',
      'settings.inbox.updated',
      'settings.inbox.created',
      'settings.inbox.created',
    ]);
  });
});
