import formbody from '@fastify/formbody';
import { AdminDesk, Desk } from '@lightbox/desk';
import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from './deps.js';
import { LiveHub, STATS_MS } from './live-hub.js';
import { SharedOverview } from './overview.js';
import { mountQueueBoard } from './queue-board.js';
import { actionRoutes } from './routes/actions.js';
import { pageKit } from './routes/kit.js';
import { pageRoutes } from './routes/pages.js';
import { sessionRoutes } from './routes/session.js';
import { settingsRoutes } from './routes/settings.js';

export { safeNext } from './routes/session.js';

/**
 * The editors' dashboard: server-rendered pages (htmx for actions), live updates over SSE,
 * bull-board at /admin/queues. Pages and actions are adapters over the desk (`@lightbox/desk`), the
 * same handlers the JSON API uses. Every page and action needs a signed-in editor or admin; actions
 * are CSRF-checked (by `Access`) and written to the audit log.
 */
export async function registerDashboard(
  app: FastifyInstance,
  deps: DashboardDeps,
): Promise<{ close(): Promise<void> }> {
  const { access } = deps;
  const desk = new Desk({ ...deps, storyDesk: deps.desk });
  const overview = new SharedOverview(deps, STATS_MS);
  const hub = new LiveHub(deps, overview, deps.liveStreamsPerSession);
  const kit = pageKit(access);

  await app.register(async (scope) => {
    await scope.register(formbody);
    sessionRoutes(scope, access, kit, hub);
    pageRoutes(scope, deps, desk, overview, kit);
    scope.get('/dashboard/events', async (request, reply) => {
      const principal = await kit.signedIn(request, reply);
      if (!principal) return;
      const { sessionId } = await access.caller(request);
      await hub.attach(request, reply, {
        key: sessionId
          ? `session:${access.sessions.fingerprint(sessionId)}`
          : `principal:${principal.kind}:${principal.name}`,
        sessionId,
      });
    });
    actionRoutes(scope, desk, kit, access.requireEditor);
    settingsRoutes(
      scope,
      new AdminDesk({ settings: deps.settings, audit: deps.audit, webhookTargets: deps.webhookTargets }),
      kit,
      access.requireAdmin,
    );
    await mountQueueBoard(scope, deps);
  });

  return { close: () => hub.close() };
}
