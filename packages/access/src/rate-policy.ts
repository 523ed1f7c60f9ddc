import type { Principal } from './principals.js';

/** Budgets per minute for each kind of caller. */
export interface RateLimits {
  /** Per authenticated principal (feed, reader, editor, admin), and per address without credentials. */
  perPrincipal: number;
  /** `POST /login` and credentials that match nobody, per address. */
  authAttempts: number;
  /** Anonymous reads of published galleries, per address. */
  publicReads: number;
}

/** What a route is, for the limiter: signing in, a public read, or anything else. */
export type RouteClass = 'sign-in' | 'public-read' | 'other';

export interface RateBucket {
  kind: 'principal' | 'auth' | 'public' | 'anonymous';
  key: string;
  max: number;
}

/**
 * Which budget a request draws on (pure). Sign-in attempts and bad credentials share a small
 * per-address budget, so guessing is slow and cannot use up anyone else's; an authenticated caller
 * has its own budget wherever it calls from; anonymous public reads and other anonymous requests
 * have separate per-address budgets, so a flood of one kind locks out neither editors nor readers.
 */
export function rateBucket(
  caller: { principal?: Principal; badCredentials: boolean },
  route: RouteClass,
  address: string,
  limits: RateLimits,
): RateBucket {
  if (route === 'sign-in' || caller.badCredentials)
    return { kind: 'auth', key: `auth:${address}`, max: limits.authAttempts };
  if (caller.principal)
    return {
      kind: 'principal',
      key: `principal:${caller.principal.kind}:${caller.principal.name}`,
      max: limits.perPrincipal,
    };
  if (route === 'public-read') return { kind: 'public', key: `public:${address}`, max: limits.publicReads };
  return { kind: 'anonymous', key: `anonymous:${address}`, max: limits.perPrincipal };
}

/** The 429 message for a bucket. */
export function rateLimitMessage(bucket: RateBucket, retryInSeconds: number): string {
  const who = {
    principal: `for ${bucket.key.split(':').slice(2).join(':')}`,
    auth: 'to sign in or with unknown credentials from your address',
    public: 'for published galleries from your address',
    anonymous: 'without credentials from your address',
  }[bucket.kind];
  return `Too many requests ${who}: at most ${bucket.max} a minute; retry in ${retryInSeconds} s`;
}
