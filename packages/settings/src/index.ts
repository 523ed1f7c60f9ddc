export * from './live-settings.js';
export * from './runtime-settings.js';
export * from './types.js';
