import { objectKeys } from '@lightbox/contracts';
import { ObjectNotFoundError } from '@lightbox/storage';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';

/** `GET /v1/galleries/:storyId`: the manifest exactly as stored in S3. Public: downstream sites read it. */
export function galleryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { storyId: string } }>('/v1/galleries/:storyId', async (request, reply) => {
    const { storyId } = request.params;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(storyId))
      throw new ApiError(404, 'not_found', `No gallery for ${storyId}`);
    try {
      const { body, info } = await deps.store.getWithInfo(objectKeys.gallery(storyId));
      if (info.etag) reply.header('etag', info.etag);
      if (info.cacheControl) reply.header('cache-control', info.cacheControl);
      return reply.type('application/json; charset=utf-8').send(body);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) {
        const story = await deps.stories.get(storyId);
        throw new ApiError(
          404,
          'not_found',
          story ? `Story ${storyId} has no published gallery yet` : `No story ${storyId}`,
        );
      }
      throw err;
    }
  });
}
