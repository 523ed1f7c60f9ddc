export * from './access.js';
export * from './principals.js';
export * from './session-store.js';
