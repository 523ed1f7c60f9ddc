/** Webhook subscribers and where webhooks may go. */
import { WEBHOOK_EVENTS, type WebhookSubscriber, type webhookSubscribersSchema } from '@lightbox/contracts';
import { z } from 'zod';
import { ConfigError, intFrom, optionalString, parseTokenList } from './env-values.js';
import { parseCidr, webhookUrlProblem } from './webhook-targets.js';

/** Subscribers, timeouts, allowed hosts and networks. */
export const webhooksEnv = z.object({
  LIGHTBOX_WEBHOOK_ALLOWED_HOSTS: optionalString,
  LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: optionalString,
  LIGHTBOX_WEBHOOKS: optionalString,
  LIGHTBOX_WEBHOOKS_FILE: optionalString,
  LIGHTBOX_WEBHOOK_TIMEOUT_MS: intFrom(10_000, 100),
  LIGHTBOX_WEBHOOK_RETRY_BASE_MS: intFrom(5000, 10),
});

/** True when `host` is one of the allowed hosts (`example.com`, or `*.example.com` for subdomains). */
export function hostAllowed(host: string, allowed: string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((a) => {
    const rule = a.toLowerCase();
    return rule.startsWith('*.') ? h.endsWith(rule.slice(1)) && h.length > rule.length - 1 : h === rule;
  });
}

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

/** Names subscribers (`webhook-1`, … unless given an id) and defaults their events to all. */

export function webhookSubscribers(
  input: z.infer<typeof webhookSubscribersSchema>,
  allowedHosts: string[],
  allowedNetworks: string[],
): WebhookSubscriber[] {
  for (const w of input) {
    const host = new URL(w.url).hostname;
    if (allowedHosts.length > 0 && !hostAllowed(host, allowedHosts))
      throw new ConfigError(
        `LIGHTBOX_WEBHOOKS: ${host} is not in LIGHTBOX_WEBHOOK_ALLOWED_HOSTS (${allowedHosts.join(', ')})`,
      );
    const problem = webhookUrlProblem(w.url, allowedNetworks);
    if (problem) throw new ConfigError(`LIGHTBOX_WEBHOOKS: ${w.url} refused: ${problem}`);
  }
  const out = input.map((w, i) => ({
    id: w.id ?? `webhook-${i + 1}`,
    url: w.url,
    secret: w.secret,
    events: w.events ?? [...WEBHOOK_EVENTS],
  }));
  const ids = out.map((w) => w.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(`LIGHTBOX_WEBHOOKS: subscriber id "${dup}" is used twice`);
  return out;
}
