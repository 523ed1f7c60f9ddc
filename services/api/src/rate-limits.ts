import rateLimit from '@fastify/rate-limit';
import {
  type Access,
  type RateBucket,
  type RouteClass,
  rateBucket,
  rateLimitMessage,
} from '@lightbox/access';
import type { LightboxConfig } from '@lightbox/config';
import type { Redis } from '@lightbox/redis';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the rate limiter treats the route (default `other`). */
    rateClass?: RouteClass;
  }
}

const BUCKET = Symbol('lightbox.rateBucket');
type Limited = FastifyRequest & { [BUCKET]?: RateBucket };

/** Never limited: health and liveness checks and the dashboard's static files. */
const unlimited = (request: FastifyRequest) =>
  request.url === '/healthz' || request.url === '/livez' || request.url.startsWith('/dashboard/assets/');

/**
 * Rate limits, counted in Redis so every API process shares them. The caller is identified first
 * (bearer token or session cookie, looked up once per request), then `rateBucket` picks the budget:
 * per principal, per address for sign-in attempts and bad credentials, per address for anonymous
 * public reads, per address for other anonymous requests. 429 `rate_limited`.
 */
export function registerRateLimits(
  app: FastifyInstance,
  auth: Access,
  redis: Redis,
  config: Pick<
    LightboxConfig,
    'redisPrefix' | 'rateLimitPerMinute' | 'authRateLimitPerMinute' | 'publicRateLimitPerMinute'
  >,
): void {
  const limits = {
    perPrincipal: config.rateLimitPerMinute,
    authAttempts: config.authRateLimitPerMinute,
    publicReads: config.publicRateLimitPerMinute,
  };
  app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    redis,
    nameSpace: `${config.redisPrefix}:rate-limit:`,
    keyGenerator: async (request: Limited) => {
      if (unlimited(request)) return 'unlimited';
      const caller = await auth.caller(request);
      const bucket = rateBucket(
        caller,
        request.routeOptions.config?.rateClass ?? 'other',
        request.ip,
        limits,
      );
      request[BUCKET] = bucket;
      return bucket.key;
    },
    max: (request: Limited) => request[BUCKET]?.max ?? limits.perPrincipal,
    allowList: (request) => unlimited(request),
    errorResponseBuilder: (request: Limited, context) =>
      new ApiError(
        429,
        'rate_limited',
        rateLimitMessage(
          request[BUCKET] ?? { kind: 'anonymous', key: '', max: context.max },
          Math.ceil(context.ttl / 1000),
        ),
      ),
  });
}
