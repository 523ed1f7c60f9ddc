export * from './dead-letters.js';
export * from './lifecycle-work.js';
export * from './pipeline-queues.js';
export * from './shutdown.js';
export * from './stage-options.js';
export * from './stage-workers.js';
export * from './telemetry.js';
