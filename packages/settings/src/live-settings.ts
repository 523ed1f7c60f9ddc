import type { WebhookSubscriber } from '@lightbox/contracts';
import type { RuntimeSettings } from './runtime-settings.js';
import type { StoredInbox, StoredWebhook } from './types.js';

export interface LiveSettingsOptions {
  /** How often the revision is read (one GET); a change is picked up within this. */
  pollMs?: number;
  onError?: (err: Error) => void;
}

/**
 * The runtime settings as a running process uses them: held in memory, reloaded whenever their
 * revision moves (checked every `pollMs`, 2 s by default), so an admin's change reaches every
 * process within seconds without a restart. Listeners hear of each reload (the ingest service
 * starts and stops its S3 inbox pollers on it).
 */
export class LiveSettings {
  private current: { revision: number; webhooks: StoredWebhook[]; inboxes: StoredInbox[] } = {
    revision: -1,
    webhooks: [],
    inboxes: [],
  };
  private readonly listeners: (() => void | Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<boolean>;

  constructor(
    private readonly store: RuntimeSettings,
    private readonly options: LiveSettingsOptions = {},
  ) {}

  /** Loads the settings, then keeps them current. */
  async start(): Promise<void> {
    await this.refresh();
    const tick = () => {
      this.timer = setTimeout(() => {
        this.refresh()
          .catch((err: Error) => this.options.onError?.(err))
          .finally(() => {
            if (this.timer) tick();
          });
      }, this.options.pollMs ?? 2000);
      this.timer.unref();
    };
    tick();
  }

  /** Reloads when the revision moved; true when it did. Concurrent callers share one reload. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.reload().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async reload(): Promise<boolean> {
    const revision = await this.store.revision();
    if (revision === this.current.revision) return false;
    const [webhooks, inboxes] = await Promise.all([this.store.list('webhooks'), this.store.list('inboxes')]);
    this.current = { revision, webhooks, inboxes };
    for (const listener of this.listeners) await listener();
    return true;
  }

  onChange(listener: () => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  /** The webhook subscribers as the notifier and the sender use them. */
  webhooks(): WebhookSubscriber[] {
    return this.current.webhooks.map(({ id, url, secret, events }) => ({ id, url, secret, events }));
  }

  inboxes(): StoredInbox[] {
    return this.current.inboxes;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
