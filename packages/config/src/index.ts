export * from './config.js';
export * from './credentials.js';
export * from './webhook-targets.js';
