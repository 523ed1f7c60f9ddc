import { describe, expect, it } from 'vitest';
import { rateBucket, rateLimitMessage } from '../src/index.js';

const limits = { perPrincipal: 1200, authAttempts: 30, publicReads: 600 };
const editor = { principal: { kind: 'editor' as const, name: 'alice' }, badCredentials: false };
const anonymous = { badCredentials: false };
const guess = { badCredentials: true };

describe('rateBucket', () => {
  it('puts sign-in attempts and bad credentials in the small per-address bucket', () => {
    for (const route of ['sign-in', 'public-read', 'other'] as const)
      expect(rateBucket(guess, route, '10.0.0.1', limits)).toEqual({
        kind: 'auth',
        key: 'auth:10.0.0.1',
        max: 30,
      });
    expect(rateBucket(anonymous, 'sign-in', '10.0.0.1', limits).kind).toBe('auth');
    expect(rateBucket(editor, 'sign-in', '10.0.0.1', limits).kind).toBe('auth');
  });

  it('gives each principal its own bucket, whatever its address', () => {
    const a = rateBucket(editor, 'other', '10.0.0.1', limits);
    expect(a).toEqual({ kind: 'principal', key: 'principal:editor:alice', max: 1200 });
    expect(rateBucket(editor, 'public-read', '10.9.9.9', limits)).toEqual(a);
    const feed = {
      principal: { kind: 'feed' as const, name: 'alice', feed: 'alice' },
      badCredentials: false,
    };
    expect(rateBucket(feed, 'other', '10.0.0.1', limits).key).toBe('principal:feed:alice');
  });

  it('keeps anonymous public reads apart from other anonymous requests', () => {
    expect(rateBucket(anonymous, 'public-read', '10.0.0.1', limits)).toEqual({
      kind: 'public',
      key: 'public:10.0.0.1',
      max: 600,
    });
    expect(rateBucket(anonymous, 'other', '10.0.0.1', limits)).toEqual({
      kind: 'anonymous',
      key: 'anonymous:10.0.0.1',
      max: 1200,
    });
  });

  it('says which budget ran out', () => {
    expect(rateLimitMessage(rateBucket(guess, 'other', '::1', limits), 12)).toBe(
      'Too many requests to sign in or with unknown credentials from your address: at most 30 a minute; retry in 12 s',
    );
    expect(rateLimitMessage(rateBucket(editor, 'other', '::1', limits), 3)).toMatch(
      /^Too many requests for alice:/,
    );
  });
});
