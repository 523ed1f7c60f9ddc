import { redisBackends } from '@lightbox/test-infra';
import { catalogContract } from './catalog.contract.js';

for (const backend of await redisBackends()) catalogContract(backend.name, backend.start);
