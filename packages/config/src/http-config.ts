/** The API's and /metrics listeners: address, access tokens, sessions, rate limits, proxies. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError, emptyToUndefined, intFrom, numberFrom, optionalString } from './env-values.js';

/** Listeners, tokens and rate limits. */
export const httpEnv = z.object({
  PORT: intFrom(8080),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  LIGHTBOX_EDITOR_TOKENS: optionalString,
  LIGHTBOX_ADMIN_TOKENS: optionalString,
  LIGHTBOX_SESSION_HOURS: numberFrom(12),
  LIGHTBOX_SSE_STREAMS_PER_SESSION: intFrom(4, 1),
  LIGHTBOX_GALLERY_READ_TOKENS: optionalString,
  LIGHTBOX_RATE_LIMIT_PER_MINUTE: intFrom(1200, 1),
  LIGHTBOX_AUTH_RATE_LIMIT_PER_MINUTE: intFrom(30, 1),
  LIGHTBOX_PUBLIC_RATE_LIMIT_PER_MINUTE: intFrom(1200, 1),
  LIGHTBOX_TRUST_PROXY: optionalString,
  LIGHTBOX_REQUEST_TIMEOUT_MS: intFrom(120_000, 1000),
  LIGHTBOX_METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  LIGHTBOX_METRICS_TOKEN: optionalString,
  LIGHTBOX_METRICS_HOST: optionalString,
});

export type TrustProxy = boolean | number | string[];

/**
 * Parses `LIGHTBOX_TRUST_PROXY`: `true`/`false`, a number of proxy hops, or a comma-separated list
 * of the proxies' addresses or CIDR ranges (what Fastify's `trustProxy` takes).
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || rest.length > 0)
      throw new ConfigError(
        `LIGHTBOX_TRUST_PROXY: "${entry}" is not an address or CIDR range (use true, false, a hop count, or addresses such as 10.0.0.0/8)`,
      );
  }
  return entries;
}

/** True for addresses only this machine reaches (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A warning when `/metrics` would answer anyone who can reach `host`, or undefined. */
export function openMetricsWarning(host: string, token: string | undefined): string | undefined {
  return token || isLoopbackHost(host)
    ? undefined
    : `/metrics on ${host} answers anyone who can reach it: set LIGHTBOX_METRICS_TOKEN (scrapers send it as a bearer token)`;
}
