import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Access, AccessError } from '@lightbox/access';
import type { FastifyInstance } from 'fastify';
import type { LiveHub } from '../live-hub.js';
import { page } from '../views/layout.js';
import { loginPage } from '../views/pages.js';
import { type PageKit, str } from './kit.js';

const require = createRequire(import.meta.url);
const ASSET_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));

/** Static files: our own (assets/), and vendor builds read from node_modules (never committed). */
const ASSETS: Record<string, { path: () => string; type: string }> = {
  'dashboard.js': { path: () => `${ASSET_DIR}dashboard.js`, type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { path: () => `${ASSET_DIR}dashboard.css`, type: 'text/css; charset=utf-8' },
  'htmx.min.js': {
    path: () => require.resolve('htmx.org/dist/htmx.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.iife.min.js': {
    path: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.min.css': {
    path: () => require.resolve('uplot/dist/uPlot.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

/** Only same-site paths: never redirect a signed-in editor off-site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login')
    ? next
    : '/';
}

/** Assets, sign-in and sign-out. Logging out ends the session's live streams at once. */
export function sessionRoutes(app: FastifyInstance, access: Access, kit: PageKit, hub: LiveHub): void {
  app.get<{ Params: { file: string } }>('/dashboard/assets/:file', async (request, reply) => {
    const asset = ASSETS[request.params.file];
    if (!asset) return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset' } });
    return reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=300')
      .send(await readFile(asset.path()));
  });

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) =>
    kit.send(
      reply,
      page({ title: 'Sign in', section: 'none' }, loginPage(undefined, safeNext(request.query.next))),
    ),
  );

  // Sign-in attempts draw on the API's small per-address budget (rate limits, services/api).
  const signIn = { config: { rateClass: 'sign-in' } } as const;
  app.post<{ Body: { token?: string; next?: string } }>('/login', signIn, async (request, reply) => {
    const next = safeNext(request.body?.next);
    try {
      const { id } = await access.signIn(str(request.body?.token));
      reply.header('set-cookie', access.sessionCookie(id, request.protocol === 'https'));
      return reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AccessError)) throw err;
      return kit.send(
        reply.code(err.statusCode),
        page({ title: 'Sign in', section: 'none' }, loginPage(err.message, next)),
      );
    }
  });

  app.post<{ Body: { _csrf?: string } }>('/logout', async (request, reply) => {
    const sid = (request as unknown as { cookies?: Record<string, string> }).cookies?.lightbox_session;
    const session = await access.sessions.get(sid);
    if (sid && session && str(request.body?._csrf) === session.csrf) {
      await access.sessions.destroy(sid);
      hub.endSession(sid);
    }
    reply.header('set-cookie', access.clearedCookie());
    return reply.redirect('/login', 303);
  });
}
