import { type Desk, feedHealthSchema } from '@lightbox/desk';
import { z } from 'zod';
import type { RouteRegistrar } from '../openapi/operation.js';

/** `GET /v1/feeds`: each feed's health, the same read as the dashboard's Feeds page. */
export function feedRoutes(route: RouteRegistrar, desk: Desk): void {
  route(
    {
      method: 'GET',
      path: '/v1/feeds',
      operationId: 'feedHealth',
      tag: 'feeds',
      summary: 'Each feed: last arrival, expected rate, recent transmissions and rejections, incidents',
      description:
        'Silent or rejecting feeds first. A feed is silent when several arrivals its cadence expects (set in the rules file, or learned) did not come; rejecting when its rejection rate jumped. docs/feed-health.md.',
      caller: 'editor',
      responses: {
        200: { description: 'Every feed heard from or given a cadence', schema: z.array(feedHealthSchema) },
      },
    },
    async () => desk.feeds(),
  );
}
