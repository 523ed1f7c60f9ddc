import type { Server } from 'node:http';
import { openMetricsWarning } from '@lightbox/config';
import type { Logger } from '@lightbox/logger';
import { type LightboxMetrics, serveMetrics } from '@lightbox/metrics';
import { pingRedis } from '@lightbox/redis';
import type { Lightbox } from './open-lightbox.js';

/**
 * `/metrics`, `/livez` and `/healthz` (Redis and S3) of a worker or ingest process, on
 * `LIGHTBOX_METRICS_PORT` when it is set; warns when the listener answers anyone.
 */
export async function serveProcessMetrics(
  { config, redis, store }: Lightbox,
  metrics: LightboxMetrics,
  log: Logger,
): Promise<Server | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const server = await serveMetrics(metrics, {
    port: config.metricsPort,
    host: config.metricsHost,
    token: config.metricsToken,
    checks: { redis: () => pingRedis(redis), s3: () => store.ping() },
  });
  log.info({ address: server.address() }, 'metrics at /metrics');
  const warning = openMetricsWarning(config.metricsHost, config.metricsToken);
  if (warning) log.warn(warning);
  return server;
}
