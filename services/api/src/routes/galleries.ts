import { galleryIndexSchema, galleryManifestSchema, objectKeys } from '@lightbox/contracts';
import { errorSchema } from '@lightbox/desk';
import { ObjectNotFoundError } from '@lightbox/storage';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { Operation, RouteRegistrar } from '../openapi/operation.js';

const galleryParams = z.object({ storyId: z.string().describe('story id (st_…)') });

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
export function galleryRoutes(route: RouteRegistrar, deps: ApiDeps): void {
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

  const read = (operationId: string, path: string, summary: string, schema: z.ZodType): Operation => ({
    method: 'GET',
    path,
    operationId,
    tag: 'galleries',
    summary,
    description:
      'Public unless LIGHTBOX_GALLERY_READ_TOKENS is set. ETag and Cache-Control as stored; If-None-Match answers 304.',
    caller: 'reader',
    rateClass: 'public-read',
    params: path.includes(':storyId') ? galleryParams : undefined,
    responses: {
      200: { description: 'The object as stored', schema },
      304: { description: 'Not modified (If-None-Match matched the ETag)' },
      404: { description: 'Nothing published yet', schema: errorSchema },
    },
  });

  route(
    {
      method: 'OPTIONS',
      path: '/v1/galleries*',
      operationId: 'galleriesPreflight',
      tag: 'galleries',
      summary: 'CORS preflight',
      caller: 'public',
      rateClass: 'public-read',
      hidden: true,
      responses: { 204: { description: 'CORS headers' } },
    },
    async (_request, reply) =>
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

  route(
    read('galleryIndex', '/v1/galleries', 'Every published gallery, newest first', galleryIndexSchema),
    async (request, reply) =>
      sendObject(request, reply, objectKeys.galleryIndex, async () => 'No gallery has been published yet'),
  );

  route(
    read('gallery', '/v1/galleries/:storyId', "A story's gallery manifest", galleryManifestSchema),
    async (request, reply) => {
      const { storyId } = request.params as { storyId: string };
      validId(storyId);
      return sendObject(request, reply, objectKeys.gallery(storyId), noGallery(storyId));
    },
  );

  route(
    {
      ...read(
        'galleryFeed',
        '/v1/galleries/:storyId/feed.:format',
        'The gallery as JSON Feed 1.1 (json) or RSS 2.0 + Media RSS (xml)',
        z.unknown(),
      ),
      params: galleryParams.extend({ format: z.enum(['json', 'xml']) }),
      responses: {
        200: { description: 'The feed as stored (application/feed+json or application/rss+xml)' },
        304: { description: 'Not modified' },
        404: { description: 'Nothing published yet', schema: errorSchema },
      },
    },
    async (request, reply) => {
      const { storyId, format } = request.params as { storyId: string; format: string };
      validId(storyId);
      if (format !== 'json' && format !== 'xml')
        throw new ApiError(404, 'not_found', 'Feeds are feed.json and feed.xml');
      return sendObject(request, reply, objectKeys.galleryFeed(storyId, format), noGallery(storyId));
    },
  );
}
