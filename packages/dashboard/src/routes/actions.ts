import { storyInputSchema } from '@lightbox/contracts';
import type { Desk, PhotoDecisionKind } from '@lightbox/desk';
import { DeskError } from '@lightbox/story-desk';
import type { FastifyInstance, FastifyReply, preHandlerHookHandler } from 'fastify';
import { ZodError } from 'zod';
import { html } from '../html.js';
import { decidedCard, failuresPage } from '../views/pages.js';
import { previewFigure } from '../views/provenance.js';
import { type PageKit, str } from './kit.js';

/** What each decision's answer says (the fragment htmx swaps in). */
const DONE: Record<PhotoDecisionKind, (by: string, storyId: string | null) => string> = {
  assign: (by, storyId) => `Assigned to ${storyId} by ${by}.`,
  reject: (by) => `Rejected for every story by ${by}.`,
  unassign: () => '',
  'release-embargo': (by) => `Embargo lifted by ${by}; the photo carries on to its gallery.`,
  'release-hold': (by) => `Hold cleared by ${by}; the photo carries on to its gallery.`,
};

/** The story form's fields as `POST /v1/stories` takes them (lists comma-separated, end or duration). */
function storyFromForm(b: Record<string, string | undefined>) {
  const list = (v: string | undefined) =>
    (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const end = str(b.end).trim();
  return {
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
}

/**
 * Actions: htmx posts (session cookie + X-CSRF-Token, checked by `requireEditor`), each carried out
 * by the desk (audited) and answered with the fragment to swap in.
 */
export function actionRoutes(
  app: FastifyInstance,
  desk: Desk,
  kit: PageKit,
  requireEditor: preHandlerHookHandler,
): void {
  const editor = { preHandler: requireEditor };
  const refused = (reply: FastifyReply, photoId: string, err: unknown) => {
    if (err instanceof DeskError)
      return kit.fragment(
        reply.code(err.code === 'not_found' ? 404 : 409),
        decidedCard(photoId, err.message),
      );
    throw err;
  };

  for (const decision of ['assign', 'reject', 'unassign', 'release-embargo', 'release-hold'] as const) {
    app.post<{ Params: { id: string }; Body: { storyId?: string } }>(
      `/dashboard/actions/photos/:id/${decision}`,
      editor,
      async (request, reply) => {
        const by = kit.actor(request);
        const photoId = request.params.id;
        try {
          const body = decision === 'assign' ? { storyId: str(request.body?.storyId) } : undefined;
          const done = await desk.decide(decision, { photoId, body }, by);
          if (decision === 'unassign')
            return kit.fragment(
              reply,
              html`<li class="tile removed" role="status">Removed ${photoId}; the gallery republishes shortly.</li>`,
            );
          return kit.fragment(reply, decidedCard(done.photoId, DONE[decision](by.name, done.storyId)));
        } catch (err) {
          if (!(err instanceof ZodError)) return refused(reply, photoId, err);
          const why = err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
          return refused(reply, photoId, new DeskError('not_found', `Nothing to act on (${why})`));
        }
      },
    );
  }

  // A picture flagged as graphic is blurred until an editor chooses to see it; each look is audited.
  app.post<{ Params: { id: string } }>(
    '/dashboard/actions/photos/:id/reveal',
    editor,
    async (request, reply) => {
      try {
        const detail = await desk.revealPhoto({ photoId: request.params.id }, kit.actor(request));
        return kit.fragment(reply, html`${previewFigure(detail, true)}`);
      } catch (err) {
        if (!(err instanceof DeskError) && !(err instanceof ZodError)) throw err;
        return kit.fragment(
          reply.code(404),
          html`<p role="status">No picture to show for ${request.params.id}.</p>`,
        );
      }
    },
  );

  // An alternate becomes its near-duplicate group's shown frame (audited; the gallery republishes).
  app.post<{ Params: { id: string; photoId: string } }>(
    '/dashboard/actions/stories/:id/leads/:photoId',
    editor,
    async (request, reply) => {
      const { id: storyId, photoId } = request.params;
      try {
        await desk.makeLead({ storyId, photoId }, kit.actor(request));
        return kit.fragment(
          reply,
          html`<span role="status">${photoId} now leads its group; publishing…</span>`,
        );
      } catch (err) {
        if (!(err instanceof DeskError) && !(err instanceof ZodError)) throw err;
        return kit.fragment(reply.code(404), html`<span role="status">Not changed: ${err.message}</span>`);
      }
    },
  );

  app.post<{ Params: { stage: string; jobId: string; action: string } }>(
    '/dashboard/actions/jobs/:stage/:jobId/:action',
    editor,
    async (request, reply) => {
      const { stage, jobId, action } = request.params;
      if (!['retry', 'discard'].includes(action)) throw new DeskError('not_found', `No action ${action}`);
      const result = await desk
        .jobAction({ stage, jobId, action } as never, kit.actor(request))
        .catch((err: unknown) => {
          if (err instanceof ZodError) throw new DeskError('not_found', `No stage ${stage}`);
          throw err;
        });
      return kit.fragment(
        reply.code(result.status),
        html`<tr data-job-id="${jobId}" class="${result.status === 200 ? 'done' : 'refused'}"><td colspan="6" role="status">${result.message}</td></tr>`,
      );
    },
  );

  app.post<{ Params: { stage: string; action: string } }>(
    '/dashboard/actions/queues/:stage/:action',
    editor,
    async (request, reply) => {
      const { stage, action } = request.params;
      await desk.queueAction({ stage, action } as never, kit.actor(request)).catch((err: unknown) => {
        if (err instanceof ZodError)
          throw new DeskError('not_found', `No stage or action ${stage}/${action}`);
        throw err;
      });
      const { stages, dead } = await desk.failures();
      return kit.fragment(reply, failuresPage(stages, dead));
    },
  );

  app.post<{ Body: Record<string, string | undefined> }>(
    '/dashboard/actions/stories',
    editor,
    async (request, reply) => {
      const parsed = storyInputSchema.safeParse(storyFromForm(request.body ?? {}));
      if (!parsed.success)
        return kit.fragment(
          reply.code(400),
          html`<p class="error">${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>`,
        );
      try {
        const story = await desk.createStory(parsed.data, kit.actor(request));
        reply.header('hx-redirect', `/dashboard/stories/${story.id}`);
        return kit.fragment(
          reply,
          html`<p>Created <a href="/dashboard/stories/${story.id}">${story.slug}</a>.</p>`,
        );
      } catch (err) {
        if (err instanceof DeskError)
          return kit.fragment(reply.code(409), html`<p class="error">${err.message}</p>`);
        throw err;
      }
    },
  );
}
