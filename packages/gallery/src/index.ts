export * from './manifest.js';
export * from './publisher.js';
