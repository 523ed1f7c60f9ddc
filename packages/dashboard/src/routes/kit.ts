import type { Access } from '@lightbox/access';
import type { Actor } from '@lightbox/desk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.js';
import { type PageContext, page } from '../views/layout.js';

/** What every dashboard route uses: sign-in for pages, page context, HTML replies, the acting editor. */
export interface PageKit {
  /** The signed-in editor or admin; otherwise the reply is sent (sign-in redirect, or 403 for feed keys). */
  signedIn(request: FastifyRequest, reply: FastifyReply): Promise<PageContext['principal'] | undefined>;
  ctx(request: FastifyRequest, title: string, section: PageContext['section'], live?: boolean): PageContext;
  send(reply: FastifyReply, body: string): FastifyReply;
  /** An htmx fragment. */
  fragment(reply: FastifyReply, body: { value: string }): FastifyReply;
  actor(request: FastifyRequest): Actor;
}

export function pageKit(access: Access): PageKit {
  const send = (reply: FastifyReply, body: string) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  return {
    async signedIn(request, reply) {
      const principal = await access.identify(request);
      if (!principal) {
        await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        return undefined;
      }
      if (principal.kind === 'feed') {
        await send(
          reply.code(403),
          page({ title: 'Forbidden', section: 'none' }, html`<h1>Feed keys cannot use the dashboard</h1>`),
        );
        return undefined;
      }
      request.principal = principal;
      return principal;
    },
    ctx: (request, title, section, live = false) => ({
      title,
      section,
      principal: request.principal,
      csrf: request.session?.csrf,
      live,
    }),
    send,
    fragment: (reply, body) => reply.type('text/html; charset=utf-8').send(body.value),
    actor: (request) => ({
      name: request.principal?.name ?? 'unknown',
      role: request.principal?.kind === 'admin' ? 'admin' : 'editor',
    }),
  };
}

export const PAGE_SIZE = 25;
export const pageNumber = (value: unknown) => Math.max(1, Math.min(10_000, Number(value) || 1));
export const str = (value: unknown) => (typeof value === 'string' ? value : '');
