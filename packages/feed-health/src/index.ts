export * from './counts.js';
export * from './feed-health.js';
export * from './keys.js';
