import { PHOTO_STATUSES } from '@lightbox/contracts';
import { bearerMatches, LightboxMetrics } from '@lightbox/metrics';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { Operation, RouteRegistrar } from '../openapi/operation.js';

/** `GET /metrics`: Prometheus text. Open unless `LIGHTBOX_METRICS_TOKEN` is set. */
export function metricsRoutes(route: RouteRegistrar, deps: ApiDeps, token: string | undefined): void {
  const metrics = new LightboxMetrics('api', {
    queueCounts: () => deps.queues.counts(),
    photosByStatus: () => deps.photos.countByStatus(PHOTO_STATUSES),
    deadLetters: () => deps.queues.deadLetters.count(),
    s3: () => deps.store.stats,
    feeds: async () =>
      (await deps.feedHealth.summaries()).map((f) => ({
        feed: f.feed,
        lastArrivalSeconds: f.lastArrivalSeconds,
        silent: f.silent,
        rejecting: f.openIncidents.some((i) => i.kind === 'rejections'),
      })),
  });
  const operation: Operation = {
    method: 'GET',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'health',
    summary: 'Prometheus metrics (needs Bearer LIGHTBOX_METRICS_TOKEN when it is set)',
    caller: 'metrics',
    responses: {
      200: { description: 'Prometheus text format', contentType: 'text/plain', schema: z.string() },
    },
  };
  route(operation, async (request, reply) => {
    if (token && !bearerMatches(request.headers.authorization, token))
      throw new ApiError(401, 'unauthorized', 'Metrics need Authorization: Bearer <LIGHTBOX_METRICS_TOKEN>');
    return reply.type(metrics.contentType).send(await metrics.text());
  });
}
