import { PHOTO_STATUSES, type PhotoStatus } from '@lightbox/contracts';
import type { Desk } from '@lightbox/desk';
import { DeskError } from '@lightbox/story-desk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import type { DashboardDeps } from '../deps.js';
import { html } from '../html.js';
import type { SharedOverview } from '../overview.js';
import { page, pager } from '../views/layout.js';
import {
  failuresPage,
  feedsPage,
  overviewPage,
  photoPage,
  photosPage,
  reviewCard,
  reviewPage,
  storiesPage,
  storyPage,
} from '../views/pages.js';
import { PAGE_SIZE, type PageKit, pageNumber, str } from './kit.js';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The dashboard's pages: each asks the desk one question and renders the answer. */
export function pageRoutes(
  app: FastifyInstance,
  deps: Pick<DashboardDeps, 'stats'>,
  desk: Desk,
  overview: SharedOverview,
  kit: PageKit,
): void {
  const notFound = (
    request: FastifyRequest,
    reply: FastifyReply,
    section: 'photos' | 'stories',
    err: unknown,
  ) => {
    const missing = (err instanceof DeskError && err.code === 'not_found') || err instanceof ZodError;
    if (!missing) throw err;
    const message =
      err instanceof DeskError
        ? err.message
        : `No ${section === 'photos' ? 'photo' : 'story'} ${str((request.params as { id?: string }).id)}`;
    return kit.send(reply.code(404), page(kit.ctx(request, 'Not found', section), html`<h1>${message}</h1>`));
  };

  app.get('/', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    const [current, recent] = await Promise.all([overview.get(), deps.stats.recent(50)]);
    return kit.send(
      reply,
      page(kit.ctx(request, 'Overview', 'overview', true), overviewPage(current, recent)),
    );
  });

  app.get<{ Querystring: { page?: string } }>('/dashboard/review', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    const n = pageNumber(request.query.page);
    const inbox = await desk.reviewCards({ offset: (n - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    const cards = inbox.photos.map((p) => reviewCard(p, inbox.choices.get(p.photoId) ?? []));
    const pages = pager('/dashboard/review', new URLSearchParams(), n, PAGE_SIZE, inbox.total);
    return kit.send(
      reply,
      page(kit.ctx(request, 'Needs review', 'review'), reviewPage(cards, pages, inbox.total)),
    );
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/dashboard/photos',
    async (request, reply) => {
      if (!(await kit.signedIn(request, reply))) return;
      const q = request.query;
      // The form's values, kept only when valid (a bad one is dropped, not an error page).
      const query = {
        q: str(q.q).slice(0, 200),
        status: PHOTO_STATUSES.includes(q.status as PhotoStatus) ? (q.status as string) : '',
        agency: str(q.agency).slice(0, 60),
        story: str(q.story).slice(0, 64),
        from: DAY_PATTERN.test(str(q.from)) ? str(q.from) : '',
        to: DAY_PATTERN.test(str(q.to)) ? str(q.to) : '',
      };
      const n = pageNumber(q.page);
      const [result, stories] = await Promise.all([
        desk.searchPhotos({
          q: query.q || undefined,
          status: (query.status || undefined) as PhotoStatus | undefined,
          agency: query.agency || undefined,
          storyId: query.story || undefined,
          from: query.from || undefined,
          to: query.to || undefined,
          offset: (n - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        }),
        desk.storyChoices(),
      ]);
      const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]);
      const pages = pager('/dashboard/photos', params, n, PAGE_SIZE, result.total);
      return kit.send(
        reply,
        page(
          kit.ctx(request, 'Photos', 'photos'),
          photosPage(query, result.photos, pages, result.total, stories),
        ),
      );
    },
  );

  app.get<{ Params: { id: string } }>('/dashboard/photos/:id', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    try {
      const detail = await desk.photoDetail({ photoId: request.params.id });
      return kit.send(reply, page(kit.ctx(request, `Photo ${detail.photoId}`, 'photos'), photoPage(detail)));
    } catch (err) {
      return notFound(request, reply, 'photos', err);
    }
  });

  app.get('/dashboard/failures', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    const { stages, dead } = await desk.failures();
    return kit.send(reply, page(kit.ctx(request, 'Failures', 'failures'), failuresPage(stages, dead)));
  });

  app.get('/dashboard/feeds', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    return kit.send(reply, page(kit.ctx(request, 'Feeds', 'feeds'), feedsPage(await desk.feeds())));
  });

  app.get<{ Querystring: { page?: string } }>('/dashboard/stories', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    const n = pageNumber(request.query.page);
    const { total, stories } = await desk.listStories({ offset: (n - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    const rows = stories.map((story) => ({ story, photoCount: story.photoCount }));
    const pages = pager('/dashboard/stories', new URLSearchParams(), n, PAGE_SIZE, total);
    return kit.send(reply, page(kit.ctx(request, 'Stories', 'stories'), storiesPage(rows, pages)));
  });

  app.get<{ Params: { id: string } }>('/dashboard/stories/:id', async (request, reply) => {
    if (!(await kit.signedIn(request, reply))) return;
    try {
      const g = await desk.storyGallery({ storyId: request.params.id });
      return kit.send(
        reply,
        page(
          kit.ctx(request, g.story.headline, 'stories', true),
          storyPage(g.story, g.manifest, g.layout, g.links, g.audit),
        ),
      );
    } catch (err) {
      return notFound(request, reply, 'stories', err);
    }
  });
}
