import { createServer } from 'node:http';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import { Access, FeedKeyStore, PrincipalDirectory, SessionStore } from '@lightbox/access';
import { ActivitySubscriber, PipelineStats } from '@lightbox/activity';
import type { LightboxConfig, TrustProxy } from '@lightbox/config';
import { registerDashboard } from '@lightbox/dashboard';
import type { Logger } from '@lightbox/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { installErrorHandling } from './errors.js';
import { registerRateLimits } from './rate-limits.js';
import { adminRoutes } from './routes/admin.js';
import { exampleRoutes } from './routes/examples.js';
import { galleryRoutes } from './routes/galleries.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { photoRoutes } from './routes/photos.js';
import { queueRoutes } from './routes/queues.js';
import { storyRoutes } from './routes/stories.js';

/** Fastify's `trustProxy`: a hop count becomes "trust the first N hops" (what Fastify does with a number). */
function trustProxyOption(
  value: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** The Fastify app: routes, auth and error format. Listening is the caller's business. */
export function buildApiServer(config: LightboxConfig, deps: ApiDeps, log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Behind a load balancer, LIGHTBOX_TRUST_PROXY makes request.ip the client's address.
    trustProxy: trustProxyOption(config.trustProxy),
    // Slow bodies (slowloris) are cut off: a request has requestTimeoutMs to arrive in full,
    // checked every 2 s (Node's default check is every 30 s).
    serverFactory: (handler) =>
      createServer({ requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 2000 }, handler),
  });
  installErrorHandling(app);
  app.register(cookie);
  // Security headers. Images and manifests come from object storage, on another origin.
  app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'http:', 'https:'],
        connectSrc: ["'self'", 'http:', 'https:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Public gallery documents are read cross-origin by downstream sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  const auth = new Access(
    new PrincipalDirectory(
      config.feedKeys,
      config.editorTokens,
      config.adminTokens,
      config.galleryReadTokens,
    ),
    new SessionStore(deps.redis, config.redisPrefix, config.sessionHours),
    new FeedKeyStore(deps.redis, config.redisPrefix),
    config.galleryReadTokens.length > 0,
  );
  registerRateLimits(app, auth, deps.redis, config);
  // Routes in a child context, so the rate limiter and security headers above apply to all of them.
  app.register(async (api) => {
    healthRoutes(api, deps);
    storyRoutes(api, deps, auth);
    photoRoutes(api, deps, auth, { maxUploadBytes: config.limits.maxUploadBytes });
    galleryRoutes(api, deps, auth);
    adminRoutes(api, auth);
    exampleRoutes(api, { manifestOrigins: [new URL(deps.store.publicUrl('galleries/')).origin] });
    queueRoutes(api, deps, auth, config.redisPrefix);
    metricsRoutes(api, deps, config.metricsToken);
  });
  // The editors' dashboard at `/` (pages, live events, bull-board at /admin/queues).
  const subscriber = new ActivitySubscriber(deps.redis.duplicate(), config.redisPrefix);
  app.register(async (instance) => {
    const dashboard = await registerDashboard(instance, {
      ...deps,
      stats: new PipelineStats(deps.redis, config.redisPrefix),
      subscriber,
      access: auth,
      redisPrefix: config.redisPrefix,
      liveStreamsPerSession: config.liveStreamsPerSession,
    });
    app.addHook('onClose', async () => {
      await dashboard.close();
      await subscriber.close();
    });
  });
  return app;
}
