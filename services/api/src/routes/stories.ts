import { galleryLayoutSchema, storyInputSchema, storyUpdateSchema } from '@lightbox/contracts';
import { type Desk, layoutSchema, storyViewSchema } from '@lightbox/desk';
import { MAX_XML_BYTES, NewsmlError, parseNewsml, storyFromNewsml } from '@lightbox/newsml';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { RouteRegistrar } from '../openapi/operation.js';
import { deskActor } from './actor.js';

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

const idParams = z.object({ id: z.string().describe('story id (st_…)') });
type IdParams = { params: { id: string } };
const storyId = (request: unknown) => ({ storyId: (request as IdParams).params.id });
const XML_TYPES = ['application/xml', 'text/xml', 'application/vnd.iptc.g2.newsitem+xml'];

/** Stories and their galleries' layout: adapters over the desk. */
export function storyRoutes(app: FastifyInstance, route: RouteRegistrar, desk: Desk): void {
  // NewsML-G2 text newsItems and event conceptItems register stories too (XML kept as a string).
  app.addContentTypeParser(
    /^(application|text)\/([\w.+-]*\+)?xml$/i,
    { parseAs: 'string', bodyLimit: MAX_XML_BYTES },
    (_req, body, done) => done(null, body),
  );
  const one = { 200: { description: 'The story with its photo count', schema: storyViewSchema } };

  route(
    {
      method: 'POST',
      path: '/v1/stories',
      operationId: 'createStory',
      tag: 'stories',
      summary: 'Register a story; photos already waiting in its window are matched again',
      description:
        '`event.duration` (ISO 8601, e.g. PT3H30M) may replace `event.end`. Or a NewsML-G2 text newsItem or event conceptItem as XML (no DTD).',
      caller: 'editor',
      body: { schema: storyInputSchema, contentTypes: ['application/json', ...XML_TYPES] },
      responses: {
        201: { description: 'The new story', schema: storyViewSchema.omit({ photoCount: true }) },
        409: { description: 'The slug is in use' },
        422: { description: 'XML refused (xml_dtd_forbidden, newsml_unsupported, …)' },
      },
    },
    async (request, reply) => {
      const input = typeof request.body === 'string' ? storyFromXml(request.body) : request.body;
      return reply.code(201).send(await desk.createStory(input, deskActor(request)));
    },
  );

  route(
    {
      method: 'GET',
      path: '/v1/stories',
      operationId: 'listStories',
      tag: 'stories',
      summary: 'Every story, by event start, with photo counts',
      caller: 'editor',
      responses: { 200: { description: 'All stories', schema: z.array(storyViewSchema) } },
    },
    async () => (await desk.listStories()).stories,
  );

  route(
    {
      method: 'GET',
      path: '/v1/stories/:id',
      operationId: 'getStory',
      tag: 'stories',
      summary: 'One story with its photo count (404 says where an archived story went)',
      caller: 'editor',
      params: idParams,
      responses: one,
    },
    async (request) => desk.story(storyId(request)),
  );

  route(
    {
      method: 'PATCH',
      path: '/v1/stories/:id',
      operationId: 'updateStory',
      tag: 'stories',
      summary: 'Edit headline, keywords, status or event fields; the window is matched again',
      caller: 'editor',
      params: idParams,
      body: { schema: storyUpdateSchema },
      responses: one,
    },
    async (request) => desk.updateStory({ ...storyId(request), body: request.body }, deskActor(request)),
  );

  route(
    {
      method: 'POST',
      path: '/v1/stories/:id/close',
      operationId: 'closeStory',
      tag: 'stories',
      summary: 'Close the story: its gallery is published as final, late photos go to review',
      caller: 'editor',
      params: idParams,
      responses: one,
    },
    async (request) => desk.closeStory(storyId(request), deskActor(request)),
  );

  route(
    {
      method: 'GET',
      path: '/v1/stories/:id/gallery',
      operationId: 'getLayout',
      tag: 'stories',
      summary: "The editor's order, cover and lead frames of the story's gallery",
      caller: 'editor',
      params: idParams,
      responses: { 200: { description: 'The layout', schema: layoutSchema } },
    },
    async (request) => desk.layout(storyId(request)),
  );

  route(
    {
      method: 'PUT',
      path: '/v1/stories/:id/gallery',
      operationId: 'setLayout',
      tag: 'stories',
      summary: 'Set order, cover (null unpins) or leads; the gallery republishes',
      caller: 'editor',
      params: idParams,
      body: { schema: galleryLayoutSchema },
      responses: { 200: { description: 'The layout now', schema: layoutSchema } },
    },
    async (request) => desk.setLayout({ ...storyId(request), body: request.body }, deskActor(request)),
  );
}
