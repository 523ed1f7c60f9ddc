export * from './reconciler.js';
export * from './redis-watch.js';
