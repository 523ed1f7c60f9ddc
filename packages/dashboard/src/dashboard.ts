import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import { AccessError } from '@lightbox/access';
import { captureInstant } from '@lightbox/catalog';
import {
  type GalleryManifest,
  objectKeys,
  PHOTO_STATUSES,
  type Photo,
  type PhotoStatus,
  STAGES,
  type StageName,
  type Story,
  storyInputSchema,
} from '@lightbox/contracts';
import { ObjectNotFoundError } from '@lightbox/storage';
import { DeskError } from '@lightbox/story-desk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardDeps } from './deps.js';
import { html } from './html.js';
import { JobActions } from './job-actions.js';
import { LiveHub, STATS_MS } from './live-hub.js';
import { SharedOverview } from './overview.js';
import { mountQueueBoard } from './queue-board.js';
import { type PageContext, page, pager } from './views/layout.js';
import {
  decidedCard,
  type FailedJobView,
  failuresPage,
  loginPage,
  overviewPage,
  photoPage,
  photosPage,
  reviewCard,
  reviewPage,
  storiesPage,
  storyPage,
} from './views/pages.js';
import { previewFigure, previewKey } from './views/provenance.js';

const require = createRequire(import.meta.url);
const ASSET_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

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

const PAGE_SIZE = 25;
const DAY = 86_400_000;

const pageNumber = (value: unknown) => Math.max(1, Math.min(10_000, Number(value) || 1));
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The editors' dashboard: server-rendered pages (htmx for actions), live updates over SSE,
 * bull-board at /admin/queues. Every page and action needs a signed-in editor or admin; actions
 * are CSRF-checked (by `Access`) and written to the audit log.
 */
export async function registerDashboard(
  app: FastifyInstance,
  deps: DashboardDeps,
): Promise<{ close(): Promise<void> }> {
  const { access } = deps;
  const overview = new SharedOverview(deps, STATS_MS);
  const hub = new LiveHub(deps, overview, deps.liveStreamsPerSession);

  /** Pages: anonymous callers go to the sign-in page; feed keys are refused. */
  async function signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<PageContext['principal'] | undefined> {
    const principal = await access.identify(request);
    if (!principal) {
      await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      return undefined;
    }
    if (principal.kind === 'feed') {
      await reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(
          page({ title: 'Forbidden', section: 'none' }, html`<h1>Feed keys cannot use the dashboard</h1>`),
        );
      return undefined;
    }
    request.principal = principal;
    return principal;
  }

  const ctx = (
    request: FastifyRequest,
    title: string,
    section: PageContext['section'],
    live = false,
  ): PageContext => ({
    title,
    section,
    principal: request.principal,
    csrf: request.session?.csrf,
    live,
  });
  const send = (reply: FastifyReply, body: string) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const actor = (request: FastifyRequest) => request.principal?.name ?? 'unknown';
  const thumbOf = (p: Photo) => {
    const smallest = [...(p.renditions ?? [])].sort((a, b) => a.width - b.width)[0];
    return smallest ? deps.store.publicUrl(smallest.key) : undefined;
  };

  await app.register(async (scope) => {
    await scope.register(formbody);

    scope.get<{ Params: { file: string } }>('/dashboard/assets/:file', async (request, reply) => {
      const asset = ASSETS[request.params.file];
      if (!asset) return reply.code(404).send({ error: { code: 'not_found', message: 'No such asset' } });
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=300')
        .send(await readFile(asset.path()));
    });

    scope.get<{ Querystring: { next?: string } }>('/login', async (request, reply) =>
      send(
        reply,
        page({ title: 'Sign in', section: 'none' }, loginPage(undefined, safeNext(request.query.next))),
      ),
    );

    // Sign-in attempts draw on the API's small per-address budget (rate limits, services/api).
    const signIn = { config: { rateClass: 'sign-in' } } as const;
    scope.post<{ Body: { token?: string; next?: string } }>('/login', signIn, async (request, reply) => {
      const next = safeNext(request.body?.next);
      try {
        const { id } = await access.signIn(str(request.body?.token));
        reply.header('set-cookie', access.sessionCookie(id, request.protocol === 'https'));
        return reply.redirect(next, 303);
      } catch (err) {
        if (!(err instanceof AccessError)) throw err;
        return send(
          reply.code(err.statusCode),
          page({ title: 'Sign in', section: 'none' }, loginPage(err.message, next)),
        );
      }
    });

    scope.post<{ Body: { _csrf?: string } }>('/logout', async (request, reply) => {
      const sid = (request as unknown as { cookies?: Record<string, string> }).cookies?.lightbox_session;
      const session = await access.sessions.get(sid);
      if (sid && session && str(request.body?._csrf) === session.csrf) {
        await access.sessions.destroy(sid);
        hub.endSession(sid);
      }
      reply.header('set-cookie', access.clearedCookie());
      return reply.redirect('/login', 303);
    });

    scope.get('/', async (request, reply) => {
      if (!(await signedIn(request, reply))) return;
      const [current, recent] = await Promise.all([overview.get(), deps.stats.recent(50)]);
      return send(reply, page(ctx(request, 'Overview', 'overview', true), overviewPage(current, recent)));
    });

    scope.get('/dashboard/events', async (request, reply) => {
      const principal = await signedIn(request, reply);
      if (!principal) return;
      const { sessionId } = await access.caller(request);
      await hub.attach(request, reply, {
        key: sessionId
          ? `session:${access.sessions.fingerprint(sessionId)}`
          : `principal:${principal.kind}:${principal.name}`,
        sessionId,
      });
    });

    scope.get<{ Querystring: { page?: string } }>('/dashboard/review', async (request, reply) => {
      if (!(await signedIn(request, reply))) return;
      const n = pageNumber(request.query.page);
      const { total, ids } = await deps.photos.listByStatus('review', (n - 1) * PAGE_SIZE, PAGE_SIZE);
      const photos = await deps.photos.getMany(ids);
      const storyIds = [...new Set(photos.flatMap((p) => p.match?.candidates.map((c) => c.storyId) ?? []))];
      const stories = new Map((await deps.stories.getMany(storyIds)).map((s) => [s.id, s]));
      const cards = await Promise.all(
        photos.map(async (p) => reviewCard(p, stories, await storiesNear(p), thumbOf(p))),
      );
      return send(
        reply,
        page(
          ctx(request, 'Needs review', 'review'),
          reviewPage(cards, pager('/dashboard/review', new URLSearchParams(), n, PAGE_SIZE, total), total),
        ),
      );
    });

    /** Open stories around the photo's capture time (the choices for "assign to another story"). */
    async function storiesNear(p: Photo): Promise<Story[]> {
      const at = captureInstant(p.metadata?.dateCreated) ?? Date.parse(p.receivedAt);
      const list = await deps.stories.listOverlapping(at - 2 * DAY, at + 2 * DAY);
      return list.slice(0, 100);
    }

    scope.get<{ Querystring: Record<string, string | undefined> }>(
      '/dashboard/photos',
      async (request, reply) => {
        if (!(await signedIn(request, reply))) return;
        const q = request.query;
        const query = {
          q: str(q.q).slice(0, 200),
          status: PHOTO_STATUSES.includes(q.status as PhotoStatus) ? (q.status as string) : '',
          agency: str(q.agency).slice(0, 60),
          story: str(q.story).slice(0, 64),
          from: /^\d{4}-\d{2}-\d{2}$/.test(str(q.from)) ? str(q.from) : '',
          to: /^\d{4}-\d{2}-\d{2}$/.test(str(q.to)) ? str(q.to) : '',
        };
        const n = pageNumber(q.page);
        const result = await deps.photos.search({
          text: query.q || undefined,
          status: (query.status || undefined) as PhotoStatus | undefined,
          agency: query.agency || undefined,
          storyId: query.story || undefined,
          fromMs: query.from ? Date.parse(`${query.from}T00:00:00Z`) : undefined,
          toMs: query.to ? Date.parse(`${query.to}T23:59:59.999Z`) : undefined,
          offset: (n - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        });
        const photos = await deps.photos.getMany(result.ids);
        const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]);
        const { stories } = await deps.stories.page(0, 200);
        return send(
          reply,
          page(
            ctx(request, 'Photos', 'photos'),
            photosPage(
              query,
              photos.map((p) => ({ photo: p, thumb: thumbOf(p) })),
              pager('/dashboard/photos', params, n, PAGE_SIZE, result.total),
              result.total,
              stories,
            ),
          ),
        );
      },
    );

    scope.get<{ Params: { id: string } }>('/dashboard/photos/:id', async (request, reply) => {
      if (!(await signedIn(request, reply))) return;
      const p = await deps.photos.get(request.params.id);
      if (!p)
        return send(
          reply.code(404),
          page(ctx(request, 'Not found', 'photos'), html`<h1>No photo ${request.params.id}</h1>`),
        );
      const [versions, audit] = await Promise.all([
        deps.photos.versions(p.photoId),
        deps.audit.of('photo', p.photoId, 100),
      ]);
      const ids = [
        ...new Set(
          [p.storyId, ...(p.match?.candidates.map((c) => c.storyId) ?? [])].filter((x): x is string => !!x),
        ),
      ];
      const stories = new Map((await deps.stories.getMany(ids)).map((s) => [s.id, s]));
      return send(
        reply,
        page(
          ctx(request, `Photo ${p.photoId}`, 'photos'),
          photoPage(p, versions, audit, stories, (k) => deps.store.publicUrl(k)),
        ),
      );
    });

    scope.get('/dashboard/failures', async (request, reply) => {
      if (!(await signedIn(request, reply))) return;
      const [stages, dead] = await Promise.all([loadFailures(), deps.queues.deadLetters.list(0, 50)]);
      return send(reply, page(ctx(request, 'Failures', 'failures'), failuresPage(stages, dead)));
    });

    async function loadFailures() {
      return Promise.all(
        STAGES.map(async (name) => {
          const q = deps.queues.queue(name);
          const [failed, paused, jobs] = await Promise.all([
            q.getFailedCount(),
            q.isPaused(),
            q.getFailed(0, 49),
          ]);
          const views: FailedJobView[] = jobs.map((j) => ({
            id: j.id ?? '',
            stage: name,
            photoId: typeof j.data?.photoId === 'string' ? j.data.photoId : undefined,
            storyId: typeof j.data?.storyId === 'string' ? j.data.storyId : undefined,
            reason: j.failedReason ?? '',
            attempts: j.attemptsMade,
            maxAttempts: j.opts.attempts ?? 1,
            failedAt: j.finishedOn,
          }));
          return { name, paused, failed, jobs: views };
        }),
      );
    }

    async function readManifest(storyId: string): Promise<GalleryManifest | undefined> {
      try {
        return JSON.parse(
          (await deps.store.get(objectKeys.gallery(storyId))).toString('utf8'),
        ) as GalleryManifest;
      } catch (err) {
        if (err instanceof ObjectNotFoundError) return undefined;
        throw err;
      }
    }

    scope.get<{ Querystring: { page?: string } }>('/dashboard/stories', async (request, reply) => {
      if (!(await signedIn(request, reply))) return;
      const n = pageNumber(request.query.page);
      const { total, stories } = await deps.stories.page((n - 1) * PAGE_SIZE, PAGE_SIZE);
      const rows = await Promise.all(
        stories.map(async (s) => ({ story: s, photoCount: await deps.stories.photoCount(s.id) })),
      );
      return send(
        reply,
        page(
          ctx(request, 'Stories', 'stories'),
          storiesPage(rows, pager('/dashboard/stories', new URLSearchParams(), n, PAGE_SIZE, total)),
        ),
      );
    });

    scope.get<{ Params: { id: string } }>('/dashboard/stories/:id', async (request, reply) => {
      if (!(await signedIn(request, reply))) return;
      const story = await deps.stories.get(request.params.id);
      if (!story)
        return send(
          reply.code(404),
          page(ctx(request, 'Not found', 'stories'), html`<h1>No story ${request.params.id}</h1>`),
        );
      const manifest = await readManifest(story.id);
      const [layout, audit] = await Promise.all([
        deps.stories.getLayout(story.id),
        deps.audit.of('story', story.id, 50),
      ]);
      const links = {
        manifest: deps.store.publicUrl(objectKeys.gallery(story.id)),
        jsonFeed: deps.store.publicUrl(objectKeys.galleryFeed(story.id, 'json')),
        rssFeed: deps.store.publicUrl(objectKeys.galleryFeed(story.id, 'xml')),
      };
      return send(
        reply,
        page(ctx(request, story.headline, 'stories', true), storyPage(story, manifest, layout, links, audit)),
      );
    });

    // Actions: htmx posts (session cookie + X-CSRF-Token). Each answers with the fragment to swap in.
    const editor = { preHandler: access.requireEditor };
    const fragment = (reply: FastifyReply, body: { value: string }) =>
      reply.type('text/html; charset=utf-8').send(body.value);
    const deskError = (reply: FastifyReply, photoId: string, err: unknown) => {
      if (err instanceof DeskError)
        return fragment(reply.code(err.code === 'not_found' ? 404 : 409), decidedCard(photoId, err.message));
      throw err;
    };

    scope.post<{ Params: { id: string }; Body: { storyId?: string } }>(
      '/dashboard/actions/photos/:id/assign',
      editor,
      async (request, reply) => {
        try {
          const photo = await deps.desk.assign(request.params.id, str(request.body?.storyId), actor(request));
          return fragment(
            reply,
            decidedCard(photo.photoId, `Assigned to ${photo.storyId} by ${actor(request)}.`),
          );
        } catch (err) {
          return deskError(reply, request.params.id, err);
        }
      },
    );

    scope.post<{ Params: { id: string } }>(
      '/dashboard/actions/photos/:id/reject',
      editor,
      async (request, reply) => {
        try {
          await deps.desk.reject(request.params.id, actor(request));
          return fragment(
            reply,
            decidedCard(request.params.id, `Rejected for every story by ${actor(request)}.`),
          );
        } catch (err) {
          return deskError(reply, request.params.id, err);
        }
      },
    );

    scope.post<{ Params: { id: string } }>(
      '/dashboard/actions/photos/:id/unassign',
      editor,
      async (request, reply) => {
        try {
          await deps.desk.unassign(request.params.id, actor(request));
          return fragment(
            reply,
            html`<li class="tile removed" role="status">Removed ${request.params.id}; the gallery republishes shortly.</li>`,
          );
        } catch (err) {
          return deskError(reply, request.params.id, err);
        }
      },
    );

    // Lifting what a photo waits for: an embargo before its time, or an editor's hold (audited).
    for (const [action, label] of [
      ['release-embargo', 'Embargo lifted'],
      ['release-hold', 'Hold cleared'],
    ] as const) {
      scope.post<{ Params: { id: string } }>(
        `/dashboard/actions/photos/:id/${action}`,
        editor,
        async (request, reply) => {
          try {
            const by = actor(request);
            const photo =
              action === 'release-embargo'
                ? await deps.desk.releaseEmbargo(request.params.id, by)
                : await deps.desk.releaseHold(request.params.id, by);
            return fragment(
              reply,
              decidedCard(photo.photoId, `${label} by ${by}; the photo carries on to its gallery.`),
            );
          } catch (err) {
            return deskError(reply, request.params.id, err);
          }
        },
      );
    }

    // A picture flagged as graphic is blurred until an editor chooses to see it; each look is audited.
    scope.post<{ Params: { id: string } }>(
      '/dashboard/actions/photos/:id/reveal',
      editor,
      async (request, reply) => {
        const p = await deps.photos.get(request.params.id);
        const key = p && previewKey(p);
        if (!p || !key)
          return fragment(
            reply.code(404),
            html`<p role="status">No picture to show for ${request.params.id}.</p>`,
          );
        await deps.audit.record({
          actor: actor(request),
          action: 'photo.revealed',
          photoId: p.photoId,
          detail: p.sensitive?.reason,
        });
        return fragment(reply, html`${previewFigure(p, deps.store.publicUrl(key), true)}`);
      },
    );

    const stageParam = (value: string): StageName => {
      if (!(STAGES as readonly string[]).includes(value))
        throw new DeskError('not_found', `No stage ${value}`);
      return value as StageName;
    };

    const jobActions = new JobActions(deps.queues, deps.audit);
    scope.post<{ Params: { stage: string; jobId: string; action: string } }>(
      '/dashboard/actions/jobs/:stage/:jobId/:action',
      editor,
      async (request, reply) => {
        const stage = stageParam(request.params.stage);
        const { jobId, action } = request.params;
        if (action !== 'retry' && action !== 'discard')
          throw new DeskError('not_found', `No action ${action}`);
        const result = await jobActions.run(stage, jobId, action, {
          name: actor(request),
          role: request.principal?.kind === 'admin' ? 'admin' : 'editor',
        });
        return fragment(
          reply.code(result.status),
          html`<tr data-job-id="${jobId}" class="${result.status === 200 ? 'done' : 'refused'}"><td colspan="6" role="status">${result.message}</td></tr>`,
        );
      },
    );

    scope.post<{ Params: { stage: string; action: string } }>(
      '/dashboard/actions/queues/:stage/:action',
      editor,
      async (request, reply) => {
        const stage = stageParam(request.params.stage);
        const q = deps.queues.queue(stage);
        const { action } = request.params;
        if (action === 'pause') await q.pause();
        else if (action === 'resume') await q.resume();
        else if (action === 'retry-all') await q.retryJobs({ state: 'failed', count: 1000 });
        else throw new DeskError('not_found', `No action ${action}`);
        await deps.audit.record({ actor: actor(request), action: `queue.${action}`, detail: stage });
        return fragment(reply, failuresPage(await loadFailures(), await deps.queues.deadLetters.list(0, 50)));
      },
    );

    scope.post<{ Body: Record<string, string | undefined> }>(
      '/dashboard/actions/stories',
      editor,
      async (request, reply) => {
        const b = request.body ?? {};
        const list = (v: string | undefined) =>
          (v ?? '')
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
        const end = str(b.end).trim();
        const input = {
          slug: str(b.slug).trim(),
          headline: str(b.headline).trim(),
          event: {
            name: str(b.name).trim(),
            start: str(b.start).trim(),
            ...(end.startsWith('P') ? { duration: end } : { end }),
            ...(list(b.aliases).length ? { aliases: list(b.aliases) } : {}),
            ...Object.fromEntries(
              (['venue', 'city', 'country'] as const)
                .filter((k) => str(b[k]).trim())
                .map((k) => [k, str(b[k]).trim()]),
            ),
          },
          ...(list(b.keywords).length ? { keywords: list(b.keywords) } : {}),
        };
        const parsed = storyInputSchema.safeParse(input);
        if (!parsed.success)
          return fragment(
            reply.code(400),
            html`<p class="error">${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>`,
          );
        try {
          const story = await deps.desk.create(parsed.data, actor(request));
          reply.header('hx-redirect', `/dashboard/stories/${story.id}`);
          return fragment(
            reply,
            html`<p>Created <a href="/dashboard/stories/${story.id}">${story.slug}</a>.</p>`,
          );
        } catch (err) {
          if (err instanceof DeskError)
            return fragment(reply.code(409), html`<p class="error">${err.message}</p>`);
          throw err;
        }
      },
    );

    await mountQueueBoard(scope, deps);
  });

  return { close: () => hub.close() };
}

/** Only same-site paths: never redirect a signed-in editor off-site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login')
    ? next
    : '/';
}
