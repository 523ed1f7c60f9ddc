import { randomBytes } from 'node:crypto';
import type { AuditLog } from '@lightbox/catalog';
import { type WebhookTargetRules, webhookTargetProblem } from '@lightbox/config';
import { DEFAULT_WEBHOOK_EVENTS } from '@lightbox/contracts';
import type {
  RuntimeSettings,
  SettingKind,
  StoredInbox,
  StoredSetting,
  StoredWebhook,
} from '@lightbox/settings';
import { DeskError } from '@lightbox/story-desk';
import type { z } from 'zod';
import type { Actor } from './schemas/common.js';
import {
  type InboxView,
  inboxInput,
  inboxUpdateInput,
  settingIdInput,
  type WebhookView,
  type WebhookWithSecret,
  webhookInput,
  webhookUpdateInput,
} from './schemas/settings.js';

type In<S extends z.ZodType> = z.input<S>;

export interface AdminDeskDeps {
  settings: RuntimeSettings;
  audit: AuditLog;
  /** Where webhooks may go (issue 12's rules, the same as for subscribers from the environment). */
  webhookTargets: WebhookTargetRules;
  now?: () => Date;
}

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

export function webhookView(w: StoredWebhook): WebhookView {
  const { secret: _secret, version: _version, ...view } = w;
  return view;
}

export function inboxView(i: StoredInbox): InboxView {
  const { secretAccessKey: _secret, version: _version, ...rest } = i;
  return {
    ...rest,
    priority: i.priority ?? 'live',
    endpoint: i.endpoint ?? null,
    region: i.region ?? null,
    accessKeyId: i.accessKeyId ?? null,
  };
}

/** The fields an audit entry names for a setting (never a secret). */
const describeWebhook = (w: StoredWebhook) => `${w.id}: ${w.url} (${w.events.join(', ')})`;
const describeInbox = (i: StoredInbox) =>
  `${i.id}: feed ${i.feed} ← ${i.endpoint ? `${i.endpoint} ` : ''}s3://${i.bucket}/${i.prefix}${i.priority === 'bulk' ? ' (bulk)' : ''}`;

/** The first `<base>-<n>` not taken. */
function freeId(base: string, taken: Set<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * What admins change at run time: webhook subscribers and S3 inboxes (`/v1/admin/webhooks`,
 * `/v1/admin/inboxes` and the dashboard's Settings pages). Input is checked by zod and by the
 * webhook target rules; secrets are shown once (generated when not given) and never listed; every
 * change is audited (`settings.webhook.created`, …) without its secrets. Running processes pick
 * changes up within seconds (`LiveSettings`).
 */
export class AdminDesk {
  private readonly now: () => Date;

  constructor(private readonly deps: AdminDeskDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private targetCheck(url: string): void {
    const problem = webhookTargetProblem(url, this.deps.webhookTargets);
    if (problem) throw new DeskError('invalid', `${url} refused: ${problem}`);
  }

  private async require<K extends SettingKind>(kind: K, id: string): Promise<StoredSetting<K>> {
    const found = await this.deps.settings.get(kind, id);
    if (!found)
      throw new DeskError('not_found', `No ${kind === 'webhooks' ? 'webhook subscriber' : 'S3 inbox'} ${id}`);
    return found;
  }

  private meta(id: string, by: Actor) {
    const at = this.now().toISOString();
    return {
      version: 1 as const,
      id,
      source: 'admin' as const,
      createdAt: at,
      createdBy: by.name,
      updatedAt: at,
      updatedBy: by.name,
    };
  }

  private audit(by: Actor, action: string, detail: string) {
    return this.deps.audit.record({ actor: by.name, action, detail });
  }

  async webhooks(): Promise<WebhookView[]> {
    return (await this.deps.settings.list('webhooks')).map(webhookView);
  }

  async createWebhook(input: In<typeof webhookInput>, by: Actor): Promise<WebhookWithSecret> {
    const w = webhookInput.parse(input);
    this.targetCheck(w.url);
    const taken = new Set((await this.deps.settings.list('webhooks')).map((x) => x.id));
    const stored: StoredWebhook = {
      ...this.meta(w.id ?? freeId('webhook', taken), by),
      url: w.url,
      secret: w.secret ?? newWebhookSecret(),
      events: w.events ?? [...DEFAULT_WEBHOOK_EVENTS],
    };
    if (!(await this.deps.settings.create('webhooks', stored)))
      throw new DeskError(
        'conflict',
        `A webhook subscriber ${stored.id} exists: update it, or choose another id`,
      );
    await this.audit(by, 'settings.webhook.created', describeWebhook(stored));
    return { ...webhookView(stored), secret: stored.secret };
  }

  /** Changes a subscriber; the answer carries the secret when this change set one. */
  async updateWebhook(
    input: In<typeof settingIdInput> & { body?: unknown },
    by: Actor,
  ): Promise<WebhookView | WebhookWithSecret> {
    const { id } = settingIdInput.parse(input);
    const change = webhookUpdateInput.parse(input.body ?? {});
    if (change.url) this.targetCheck(change.url);
    const current = await this.require('webhooks', id);
    const secret = change.rotateSecret ? newWebhookSecret() : change.secret;
    const next: StoredWebhook = {
      ...current,
      ...(change.url ? { url: change.url } : {}),
      ...(change.events ? { events: change.events } : {}),
      ...(secret ? { secret } : {}),
      source: 'admin',
      updatedAt: this.now().toISOString(),
      updatedBy: by.name,
    };
    if (!(await this.deps.settings.replace('webhooks', current, next)))
      throw new DeskError('conflict', `Webhook subscriber ${id} changed meanwhile: read it again`);
    await this.audit(
      by,
      'settings.webhook.updated',
      `${describeWebhook(next)}${secret ? '; new secret' : ''}`,
    );
    return secret ? { ...webhookView(next), secret } : webhookView(next);
  }

  async deleteWebhook(input: In<typeof settingIdInput>, by: Actor): Promise<void> {
    const { id } = settingIdInput.parse(input);
    const gone = await this.deps.settings.remove('webhooks', id);
    if (!gone) throw new DeskError('not_found', `No webhook subscriber ${id}`);
    await this.audit(by, 'settings.webhook.deleted', describeWebhook(gone));
  }

  async inboxes(): Promise<InboxView[]> {
    return (await this.deps.settings.list('inboxes')).map(inboxView);
  }

  async createInbox(input: In<typeof inboxInput>, by: Actor): Promise<InboxView> {
    const i = inboxInput.parse(input);
    const taken = new Set((await this.deps.settings.list('inboxes')).map((x) => x.id));
    const { id, prefix, ...rest } = i;
    const stored: StoredInbox = {
      ...this.meta(id ?? (taken.has(i.feed) ? freeId(i.feed, taken) : i.feed), by),
      ...rest,
      prefix: normalisePrefix(prefix),
    };
    if (!(await this.deps.settings.create('inboxes', stored)))
      throw new DeskError('conflict', `An S3 inbox ${stored.id} exists: update it, or choose another id`);
    await this.audit(by, 'settings.inbox.created', describeInbox(stored));
    return inboxView(stored);
  }

  async updateInbox(input: In<typeof settingIdInput> & { body?: unknown }, by: Actor): Promise<InboxView> {
    const { id } = settingIdInput.parse(input);
    const change = inboxUpdateInput.parse(input.body ?? {});
    const current = await this.require('inboxes', id);
    const next: StoredInbox = {
      ...current,
      source: 'admin',
      updatedAt: this.now().toISOString(),
      updatedBy: by.name,
    };
    for (const [field, value] of Object.entries(change) as [keyof typeof change, unknown][]) {
      if (value === undefined) continue;
      if (value === null) delete next[field];
      else
        (next as unknown as Record<string, unknown>)[field] =
          field === 'prefix' ? normalisePrefix(value as string) : value;
    }
    if (!next.accessKeyId !== !next.secretAccessKey)
      throw new DeskError('invalid', 'give accessKeyId and secretAccessKey together (or clear both)');
    if (!(await this.deps.settings.replace('inboxes', current, next)))
      throw new DeskError('conflict', `S3 inbox ${id} changed meanwhile: read it again`);
    const secretNote = change.secretAccessKey ? '; new secret access key' : '';
    await this.audit(by, 'settings.inbox.updated', `${describeInbox(next)}${secretNote}`);
    return inboxView(next);
  }

  async deleteInbox(input: In<typeof settingIdInput>, by: Actor): Promise<void> {
    const { id } = settingIdInput.parse(input);
    const gone = await this.deps.settings.remove('inboxes', id);
    if (!gone) throw new DeskError('not_found', `No S3 inbox ${id}`);
    await this.audit(by, 'settings.inbox.deleted', describeInbox(gone));
  }

  /** The settings' audit trail, newest first (from the last `scan` entries of the audit stream). */
  async changes(scan = 1000) {
    return (await this.deps.audit.recent(scan)).filter((e) => e.action.startsWith('settings.'));
  }
}

/** '' or ending in '/'. */
export function normalisePrefix(prefix: string): string {
  const p = prefix.trim();
  return p && !p.endsWith('/') ? `${p}/` : p;
}
