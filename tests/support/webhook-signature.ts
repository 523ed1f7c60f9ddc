import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A subscriber's check of `Lightbox-Signature`, written from docs/webhooks.md alone (not with
 * Lightbox's code), so the documented scheme is what is tested.
 */
export function verifyWebhook(
  secret: string,
  header: string,
  rawBody: string,
  toleranceSeconds = 300,
): boolean {
  const fields = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(fields.t);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || !fields.v1) return false;
  const expected = createHmac('sha256', secret).update(`${fields.t}.${rawBody}`).digest();
  const given = Buffer.from(fields.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
