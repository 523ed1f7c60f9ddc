import { type Desk, reviewInboxInput, reviewItemSchema } from '@lightbox/desk';
import { z } from 'zod';
import type { RouteRegistrar } from '../openapi/operation.js';

/** `GET /v1/review`: the editor inbox, the same query the dashboard's Needs review page runs. */
export function reviewRoutes(route: RouteRegistrar, desk: Desk): void {
  route(
    {
      method: 'GET',
      path: '/v1/review',
      operationId: 'reviewInbox',
      tag: 'review',
      summary: 'Photos the matcher was unsure about, newest arrival first',
      description:
        'Each with its caption, thumbnail and the match explained. `X-Total-Count` gives the inbox size.',
      caller: 'editor',
      query: reviewInboxInput,
      responses: { 200: { description: 'A page of the inbox', schema: z.array(reviewItemSchema) } },
    },
    async (request, reply) => {
      const inbox = await desk.reviewInbox(request.query as object);
      return reply.header('x-total-count', String(inbox.total)).send(inbox.photos);
    },
  );
}
