import { createServer } from 'node:http';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import { Access, FeedKeyStore, PrincipalDirectory, SessionStore } from '@lightbox/access';
import { ActivitySubscriber, PipelineStats } from '@lightbox/activity';
import type { LightboxConfig, TrustProxy } from '@lightbox/config';
import { registerDashboard } from '@lightbox/dashboard';
import { AdminDesk, Desk } from '@lightbox/desk';
import type { Logger } from '@lightbox/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { installErrorHandling } from './errors.js';
import { ApiDescription, routeRegistrar } from './openapi/operation.js';
import { registerRateLimits } from './rate-limits.js';
import { adminRoutes } from './routes/admin.js';
import { adminSettingsRoutes } from './routes/admin-settings.js';
import { exampleRoutes } from './routes/examples.js';
import { feedRoutes } from './routes/feeds.js';
import { galleryRoutes } from './routes/galleries.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { openApiRoutes } from './routes/openapi.js';
import { photoPushRoutes } from './routes/photo-push.js';
import { photoRoutes } from './routes/photos.js';
import { queueRoutes } from './routes/queues.js';
import { reviewRoutes } from './routes/review.js';
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
  const desk = new Desk({ ...deps, storyDesk: deps.desk });
  const admin = new AdminDesk({
    settings: deps.settings,
    audit: deps.audit,
    webhookTargets: config.webhooks,
  });
  const description = new ApiDescription();
  // Routes in a child context, so the rate limiter and security headers above apply to all of them.
  // Each JSON route is registered with its description (`route`), from which /v1/openapi.json is made.
  app.register(async (api) => {
    const route = routeRegistrar(api, auth, description);
    healthRoutes(route, deps);
    storyRoutes(api, route, desk);
    reviewRoutes(route, desk);
    photoRoutes(route, desk);
    feedRoutes(route, desk);
    photoPushRoutes(api, deps, auth, description, { maxUploadBytes: config.limits.maxUploadBytes });
    galleryRoutes(route, deps);
    adminRoutes(route, auth);
    adminSettingsRoutes(route, admin);
    queueRoutes(route, deps, desk, config.redisPrefix);
    metricsRoutes(route, deps, config.metricsToken);
    openApiRoutes(route, description);
    exampleRoutes(api, { manifestOrigins: [new URL(deps.store.publicUrl('galleries/')).origin] });
  });
  // The editors' dashboard at `/` (pages, live events, bull-board at /admin/queues).
  const subscriber = new ActivitySubscriber(deps.redis.duplicate(), config.redisPrefix);
  app.register(async (instance) => {
    const dashboard = await registerDashboard(instance, {
      ...deps,
      stats: new PipelineStats(deps.redis, config.redisPrefix),
      subscriber,
      access: auth,
      webhookTargets: config.webhooks,
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
