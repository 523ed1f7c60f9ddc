import type { Access } from '@lightbox/access';
import { objectKeys } from '@lightbox/contracts';
import { ObjectNotFoundError } from '@lightbox/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';

/** True when an `If-None-Match` header (a list, possibly weak validators, or `*`) matches the ETag. */
export function etagMatches(header: string | undefined, etag: string | undefined): boolean {
  if (!header || !etag) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag, Cache-Control',
};

/**
 * Public, read-only views of what is published to object storage, byte for byte, for downstream
 * sites that read through the API: `GET /v1/galleries` (the index), `/v1/galleries/:storyId`
 * (the manifest) and its feeds. ETag + `If-None-Match` → 304; CORS open to any origin.
 */
export function galleryRoutes(app: FastifyInstance, deps: ApiDeps, auth: Access): void {
  const read = { preHandler: auth.requireReader, config: { rateClass: 'public-read' as const } };
  async function sendObject(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    missing: () => Promise<string>,
  ) {
    reply.headers(CORS);
    try {
      const { body, info } = await deps.store.getWithInfo(key);
      if (info.etag) reply.header('etag', info.etag);
      if (info.cacheControl) reply.header('cache-control', info.cacheControl);
      if (etagMatches(request.headers['if-none-match'], info.etag)) return reply.code(304).send();
      return reply.type(info.contentType ?? 'application/octet-stream').send(body);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw new ApiError(404, 'not_found', await missing());
      throw err;
    }
  }

  const validId = (storyId: string) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(storyId))
      throw new ApiError(404, 'not_found', `No gallery for ${storyId}`);
  };
  const noGallery = (storyId: string) => async () =>
    (await deps.stories.get(storyId))
      ? `Story ${storyId} has no published gallery yet`
      : `No story ${storyId}`;

  app.options('/v1/galleries*', { config: { rateClass: 'public-read' } }, async (_request, reply) =>
    reply
      .headers({
        ...CORS,
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': 'If-None-Match, Authorization',
        'access-control-max-age': '86400',
      })
      .code(204)
      .send(),
  );

  app.get('/v1/galleries', read, async (request, reply) =>
    sendObject(request, reply, objectKeys.galleryIndex, async () => 'No gallery has been published yet'),
  );

  app.get<{ Params: { storyId: string } }>('/v1/galleries/:storyId', read, async (request, reply) => {
    const { storyId } = request.params;
    validId(storyId);
    return sendObject(request, reply, objectKeys.gallery(storyId), noGallery(storyId));
  });

  app.get<{ Params: { storyId: string; format: string } }>(
    '/v1/galleries/:storyId/feed.:format',
    read,
    async (request, reply) => {
      const { storyId, format } = request.params;
      validId(storyId);
      if (format !== 'json' && format !== 'xml')
        throw new ApiError(404, 'not_found', 'Feeds are feed.json and feed.xml');
      return sendObject(request, reply, objectKeys.galleryFeed(storyId, format), noGallery(storyId));
    },
  );
}
