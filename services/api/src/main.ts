import { loadConfig, openMetricsWarning, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { closeOnSignals } from '@lightbox/queue';
import { openLightbox, photoIntake } from '@lightbox/runtime';
import { createStoryDesk } from '@lightbox/story-desk';
import { buildApiServer } from './api-server.js';

const config = requireConnections(loadConfig());
const log = createLogger({ name: 'api', level: config.logLevel });
const lightbox = await openLightbox(config, { name: 'api', log });
const { redis, store, photos, stories, queues, lifecycle, audit, feedHealth, settings } = lightbox;
const intake = await photoIntake(lightbox);
const { desk } = createStoryDesk({ stories, photos, lifecycle, queues, audit, store }, config);
const app = buildApiServer(
  config,
  { redis, store, photos, stories, queues, intake, desk, audit, feedHealth, settings },
  log,
);
await app.listen({ port: config.port, host: config.host });
const metricsWarning = openMetricsWarning(config.host, config.metricsToken);
if (metricsWarning) log.warn(metricsWarning);

closeOnSignals(
  async () => {
    await app.close();
    await lightbox.close();
  },
  { log: (m) => log.info(m) },
);
