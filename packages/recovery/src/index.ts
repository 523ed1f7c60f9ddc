export * from './open-reconciler.js';
export * from './reconciler.js';
export * from './redis-watch.js';
