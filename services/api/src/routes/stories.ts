import { StorySlugTakenError } from '@lightbox/catalog';
import { storyInputSchema } from '@lightbox/contracts';
import { MAX_XML_BYTES, NewsmlError, parseNewsml, storyFromNewsml } from '@lightbox/newsml';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';

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

export function storyRoutes(app: FastifyInstance, deps: ApiDeps, auth: Authenticator): void {
  // NewsML-G2 text newsItems and event conceptItems register stories too (XML kept as a string).
  app.addContentTypeParser(
    /^(application|text)\/([\w.+-]*\+)?xml$/i,
    { parseAs: 'string', bodyLimit: MAX_XML_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post('/v1/stories', { preHandler: auth.requireEditor }, async (request, reply) => {
    const input = storyInputSchema.parse(
      typeof request.body === 'string' ? storyFromXml(request.body) : request.body,
    );
    try {
      const story = await deps.stories.create(input);
      return reply.code(201).send(story);
    } catch (err) {
      if (err instanceof StorySlugTakenError) throw new ApiError(409, 'conflict', err.message);
      throw err;
    }
  });

  app.get('/v1/stories', { preHandler: auth.requireEditor }, async () => {
    const stories = await deps.stories.list();
    return Promise.all(stories.map(async (s) => ({ ...s, photoCount: await deps.stories.photoCount(s.id) })));
  });

  app.get<{ Params: { id: string } }>(
    '/v1/stories/:id',
    { preHandler: auth.requireEditor },
    async (request) => {
      const story = await deps.stories.get(request.params.id);
      if (!story) throw new ApiError(404, 'not_found', `No story ${request.params.id}`);
      return { ...story, photoCount: await deps.stories.photoCount(story.id) };
    },
  );
}
