export * from './activity-publisher.js';
export * from './activity-subscriber.js';
export * from './events.js';
export * from './keys.js';
export * from './pipeline-stats.js';
