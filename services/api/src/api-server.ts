import cookie from '@fastify/cookie';
import { Access, PrincipalDirectory, SessionStore } from '@lightbox/access';
import { ActivitySubscriber, PipelineStats } from '@lightbox/activity';
import type { LightboxConfig } from '@lightbox/config';
import { registerDashboard } from '@lightbox/dashboard';
import type { Logger } from '@lightbox/logger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { installErrorHandling } from './errors.js';
import { exampleRoutes } from './routes/examples.js';
import { galleryRoutes } from './routes/galleries.js';
import { healthRoutes } from './routes/health.js';
import { photoRoutes } from './routes/photos.js';
import { queueRoutes } from './routes/queues.js';
import { storyRoutes } from './routes/stories.js';

/** The Fastify app: routes, auth and error format. Listening is the caller's business. */
export function buildApiServer(config: LightboxConfig, deps: ApiDeps, log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    disableRequestLogging: false,
    trustProxy: false,
  });
  installErrorHandling(app);
  app.register(cookie);
  const auth = new Access(
    new PrincipalDirectory(config.feedKeys, config.editorTokens, config.adminTokens),
    new SessionStore(deps.redis, config.redisPrefix, config.sessionHours),
  );
  healthRoutes(app, deps);
  storyRoutes(app, deps, auth);
  photoRoutes(app, deps, auth, { maxUploadBytes: config.limits.maxUploadBytes });
  galleryRoutes(app, deps);
  exampleRoutes(app);
  queueRoutes(app, deps, auth);
  // The editors' dashboard at `/` (pages, live events, bull-board at /admin/queues).
  const subscriber = new ActivitySubscriber(deps.redis.duplicate(), config.redisPrefix);
  app.register(async (instance) => {
    const dashboard = await registerDashboard(instance, {
      ...deps,
      stats: new PipelineStats(deps.redis, config.redisPrefix),
      subscriber,
      access: auth,
    });
    app.addHook('onClose', async () => {
      await dashboard.close();
      await subscriber.close();
    });
  });
  return app;
}
