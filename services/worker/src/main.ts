import { loadConfig, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { closeOnSignals } from '@lightbox/queue';
import { startWorkerApp } from './worker-app.js';

const config = requireConnections(loadConfig());
const log = createLogger({ name: 'worker', level: config.logLevel });
const app = await startWorkerApp({ config, log });
closeOnSignals(() => app.close(20_000), { log: (m) => log.info(m) });
