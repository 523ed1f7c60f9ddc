import type { Access } from '@lightbox/access';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { actor } from './actor.js';

const feedBody = z
  .object({ feed: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)') })
  .strict();

/** Admins manage feed keys at run time (in addition to `LIGHTBOX_FEED_KEYS`). */
export function adminRoutes(app: FastifyInstance, auth: Access): void {
  const feeds = auth.feeds;
  if (!feeds) return;
  const admin = { preHandler: auth.requireAdmin };

  app.get('/v1/admin/feeds', admin, async () => feeds.list());

  /** Creates (or replaces) a feed's key; the key is in this response only. */
  app.post('/v1/admin/feeds', admin, async (request, reply) => {
    const { feed } = feedBody.parse(request.body ?? {});
    const created = await feeds.create(feed, actor(request));
    return reply.code(201).send({ ...created, note: 'Store the key now: Lightbox keeps only its hash.' });
  });

  app.delete<{ Params: { feed: string } }>('/v1/admin/feeds/:feed', admin, async (request, reply) => {
    if (!(await feeds.revoke(request.params.feed)))
      throw new ApiError(
        404,
        'not_found',
        `No run-time feed ${request.params.feed} (feeds from LIGHTBOX_FEED_KEYS are changed in config)`,
      );
    return reply.code(204).send();
  });
}
