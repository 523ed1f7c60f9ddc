import type { Access } from '@lightbox/access';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { Operation, RouteRegistrar } from '../openapi/operation.js';
import { actor } from './actor.js';

const feedBody = z
  .object({ feed: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)') })
  .strict();

/** Admins manage feed keys at run time (in addition to `LIGHTBOX_FEED_KEYS`). */
export function adminRoutes(route: RouteRegistrar, auth: Access): void {
  const feeds = auth.feeds;
  if (!feeds) return;
  const op = (o: Omit<Operation, 'tag' | 'caller'>): Operation => ({ ...o, tag: 'admin', caller: 'admin' });

  route(
    op({
      method: 'GET',
      path: '/v1/admin/feeds',
      operationId: 'listFeeds',
      summary: 'Feeds with run-time keys (LIGHTBOX_FEED_KEYS feeds are set in config)',
      responses: { 200: { description: 'The feeds', schema: z.array(z.looseObject({ feed: z.string() })) } },
    }),
    async () => feeds.list(),
  );

  /** Creates (or replaces) a feed's key; the key is in this response only. */
  route(
    op({
      method: 'POST',
      path: '/v1/admin/feeds',
      operationId: 'createFeed',
      summary: "Create or replace a feed's key; the key is in this response only",
      body: { schema: feedBody },
      responses: {
        201: {
          description: 'The feed and its key',
          schema: z.looseObject({ feed: z.string(), key: z.string(), note: z.string() }),
        },
      },
    }),
    async (request, reply) => {
      const { feed } = feedBody.parse(request.body ?? {});
      const created = await feeds.create(feed, actor(request));
      return reply.code(201).send({ ...created, note: 'Store the key now: Lightbox keeps only its hash.' });
    },
  );

  route(
    op({
      method: 'DELETE',
      path: '/v1/admin/feeds/:feed',
      operationId: 'revokeFeed',
      summary: "Revoke a run-time feed's key",
      params: z.object({ feed: z.string() }),
      responses: { 204: { description: 'Revoked' }, 404: { description: 'No run-time feed of that name' } },
    }),
    async (request, reply) => {
      const { feed } = request.params as { feed: string };
      if (!(await feeds.revoke(feed)))
        throw new ApiError(
          404,
          'not_found',
          `No run-time feed ${feed} (feeds from LIGHTBOX_FEED_KEYS are changed in config)`,
        );
      return reply.code(204).send();
    },
  );
}
