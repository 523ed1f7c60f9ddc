export * from './access.js';
export * from './feed-key-store.js';
export * from './principals.js';
export * from './rate-policy.js';
export * from './session-store.js';
