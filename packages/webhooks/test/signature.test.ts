import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../src/index.js';

const secret = 'whsec_0123456789abcdef';
const body = '{"id":"evt_1","type":"gallery.updated"}';
const t = 1_723_410_000;
const now = t * 1000;

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> — computable with any HMAC library', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies a fresh, intact delivery', () => {
    expect(verifyWebhook(secret, signWebhook(secret, body, t), body, { now })).toEqual({
      ok: true,
      timestamp: t,
    });
  });

  it('refuses a changed body, a wrong secret, a stale or future timestamp and garbage', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhook(secret, header, `${body} `, { now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhook('another-secret-of-length', header, body, { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhook(secret, header, body, { now: now + 301_000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhook(secret, header, body, { now: now - 301_000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=abc,v1=${'0'.repeat(64)}`, `t=${t},v1=xyz`])
      expect(verifyWebhook(secret, bad, body, { now }).ok).toBe(false);
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const header = `${signWebhook(secret, body, t)},v1=${'0'.repeat(64)}`;
    const rotated = `t=${t},v1=${'0'.repeat(64)},${signWebhook(secret, body, t).split(',')[1]}`;
    expect(verifyWebhook(secret, header, body, { now }).ok).toBe(true);
    expect(verifyWebhook(secret, rotated, body, { now }).ok).toBe(true);
  });
});
