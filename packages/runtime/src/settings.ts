import type { AuditLog } from '@lightbox/catalog';
import type { LightboxConfig } from '@lightbox/config';
import type { Logger } from '@lightbox/logger';
import { LiveSettings, type RuntimeSettings, type SeedEntry } from '@lightbox/settings';
import type { Lightbox } from './open-lightbox.js';

/** `LIGHTBOX_S3_INBOXES` as inbox settings: each named by its feed (`afp`, then `afp-2`, …). */
export function inboxSeeds(inboxes: LightboxConfig['s3Inboxes']): SeedEntry<'inboxes'>[] {
  const seen = new Map<string, number>();
  return inboxes.map(({ feed, bucket, prefix }) => {
    const n = (seen.get(feed) ?? 0) + 1;
    seen.set(feed, n);
    return { id: n === 1 ? feed : `${feed}-${n}`, feed, bucket, prefix };
  });
}

/**
 * The environment's webhook subscribers (`LIGHTBOX_WEBHOOKS`) and S3 inboxes (`LIGHTBOX_S3_INBOXES`)
 * seeded into the runtime settings at start (`RuntimeSettings.seed`); what changed is audited.
 */
export async function seedSettings(settings: RuntimeSettings, config: LightboxConfig, audit: AuditLog) {
  const webhooks = await settings.seed(
    'webhooks',
    config.webhooks.subscribers.map(({ id, url, secret, events }) => ({ id, url, secret, events })),
  );
  const inboxes = await settings.seed('inboxes', inboxSeeds(config.s3Inboxes));
  for (const [kind, result] of [
    ['webhook', webhooks],
    ['inbox', inboxes],
  ] as const) {
    for (const id of result.added)
      await audit.record({ actor: 'environment', action: `settings.${kind}.seeded`, detail: id });
    for (const id of result.removed)
      await audit.record({ actor: 'environment', action: `settings.${kind}.unseeded`, detail: id });
  }
}

/**
 * The runtime settings as a running service uses them (the worker's webhooks, ingest's S3 inboxes):
 * loaded now, then reloaded within `LIGHTBOX_SETTINGS_POLL_MS` of any change. Close it with the service.
 */
export async function liveSettings({ settings, config }: Lightbox, log: Logger): Promise<LiveSettings> {
  const live = new LiveSettings(settings, {
    pollMs: config.settingsPollMs,
    onError: (err) => log.warn({ err: err.message }, 'runtime settings not reloaded; will retry'),
  });
  await live.start();
  return live;
}
