/** Webhook subscribers and where webhooks may go. */
import {
  DEFAULT_WEBHOOK_EVENTS,
  type WebhookSubscriber,
  webhookSubscribersSchema,
} from '@lightbox/contracts';
import { z } from 'zod';
import { ConfigError, intFrom, jsonSetting, optionalString, parseTokenList } from './env-values.js';
import { parseCidr, webhookTargetProblem } from './webhook-targets.js';

/** Subscribers, timeouts, allowed hosts and networks. */
export const webhooksEnv = z.object({
  LIGHTBOX_WEBHOOK_ALLOWED_HOSTS: optionalString,
  LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: optionalString,
  LIGHTBOX_WEBHOOKS: optionalString,
  LIGHTBOX_WEBHOOKS_FILE: optionalString,
  LIGHTBOX_WEBHOOK_TIMEOUT_MS: intFrom(10_000, 100),
  LIGHTBOX_WEBHOOK_RETRY_BASE_MS: intFrom(5000, 10),
});

/** Parses `LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS`: CIDR ranges (or single addresses) webhooks may reach. */
export function parseAllowedNetworks(value: string | undefined): string[] {
  const list = parseTokenList(value);
  for (const cidr of list)
    if (!parseCidr(cidr))
      throw new ConfigError(
        `LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: "${cidr}" is not a CIDR range or address (e.g. 10.20.0.0/16, fd12::/48)`,
      );
  return list;
}

/** Names subscribers (`webhook-1`, … unless given an id) and defaults their events to the downstream ones. */

export function webhookSubscribers(
  input: z.infer<typeof webhookSubscribersSchema>,
  allowedHosts: string[],
  allowedNetworks: string[],
): WebhookSubscriber[] {
  for (const w of input) {
    const problem = webhookTargetProblem(w.url, { allowedHosts, allowedNetworks });
    if (problem) throw new ConfigError(`LIGHTBOX_WEBHOOKS: ${w.url} refused: ${problem}`);
  }
  const out = input.map((w, i) => ({
    id: w.id ?? `webhook-${i + 1}`,
    url: w.url,
    secret: w.secret,
    events: w.events ?? [...DEFAULT_WEBHOOK_EVENTS],
  }));
  const ids = out.map((w) => w.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(`LIGHTBOX_WEBHOOKS: subscriber id "${dup}" is used twice`);
  return out;
}

/** `config.webhooks`: the subscribers (checked against where webhooks may go), timeouts and allowed targets. */
export function webhooksConfig(e: z.infer<typeof webhooksEnv>, allowedNetworks: string[]) {
  return {
    subscribers: webhookSubscribers(
      jsonSetting(
        'LIGHTBOX_WEBHOOKS',
        e.LIGHTBOX_WEBHOOKS,
        e.LIGHTBOX_WEBHOOKS_FILE,
        webhookSubscribersSchema,
      ) ?? [],
      parseTokenList(e.LIGHTBOX_WEBHOOK_ALLOWED_HOSTS),
      allowedNetworks,
    ),
    allowedNetworks,
    allowedHosts: parseTokenList(e.LIGHTBOX_WEBHOOK_ALLOWED_HOSTS),
    timeoutMs: e.LIGHTBOX_WEBHOOK_TIMEOUT_MS,
    retryBaseMs: e.LIGHTBOX_WEBHOOK_RETRY_BASE_MS,
  };
}
