import type { Access as Authenticator } from '@lightbox/access';
import { storyInputSchema, storyUpdateSchema } from '@lightbox/contracts';
import { MAX_XML_BYTES, NewsmlError, parseNewsml, storyFromNewsml } from '@lightbox/newsml';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { actor } from './actor.js';

/** The story a NewsML-G2 text newsItem or event conceptItem describes; clear errors otherwise. */
function storyFromXml(xml: string) {
  try {
    return storyFromNewsml(parseNewsml(xml));
  } catch (err) {
    if (err instanceof NewsmlError)
      throw new ApiError(err.code === 'xml_too_large' ? 413 : 422, err.code, err.message);
    throw err;
  }
}

type IdParams = { Params: { id: string } };

export function storyRoutes(app: FastifyInstance, deps: ApiDeps, auth: Authenticator): void {
  // NewsML-G2 text newsItems and event conceptItems register stories too (XML kept as a string).
  app.addContentTypeParser(
    /^(application|text)\/([\w.+-]*\+)?xml$/i,
    { parseAs: 'string', bodyLimit: MAX_XML_BYTES },
    (_req, body, done) => done(null, body),
  );

  const withCount = async (story: { id: string }) => ({
    ...story,
    photoCount: await deps.stories.photoCount(story.id),
  });

  /** Creates a story; photos already waiting in its window are re-matched (backfill). */
  app.post('/v1/stories', { preHandler: auth.requireEditor }, async (request, reply) => {
    const input = storyInputSchema.parse(
      typeof request.body === 'string' ? storyFromXml(request.body) : request.body,
    );
    return reply.code(201).send(await deps.desk.create(input, actor(request)));
  });

  app.get('/v1/stories', { preHandler: auth.requireEditor }, async () => {
    return Promise.all((await deps.stories.list()).map(withCount));
  });

  app.get<IdParams>('/v1/stories/:id', { preHandler: auth.requireEditor }, async (request) => {
    return withCount(await deps.desk.requireStory(request.params.id));
  });

  /** Edits headline, keywords, status or event fields; the window's waiting photos are re-matched. */
  app.patch<IdParams>('/v1/stories/:id', { preHandler: auth.requireEditor }, async (request) => {
    return withCount(
      await deps.desk.update(request.params.id, storyUpdateSchema.parse(request.body ?? {}), actor(request)),
    );
  });

  /** Closes the story: its gallery is published as final and late photos go to review. */
  app.post<IdParams>('/v1/stories/:id/close', { preHandler: auth.requireEditor }, async (request) => {
    return withCount(await deps.desk.close(request.params.id, actor(request)));
  });

  /** Editor order and cover of the story's gallery. */
  app.get<IdParams>('/v1/stories/:id/gallery', { preHandler: auth.requireEditor }, async (request) => {
    return deps.desk.layout(request.params.id);
  });

  app.put<IdParams>('/v1/stories/:id/gallery', { preHandler: auth.requireEditor }, async (request) => {
    return deps.desk.setLayout(request.params.id, request.body ?? {}, actor(request));
  });
}
