export * from './c2pa-validator.js';
export * from './manifest-store.js';
export * from './summarise.js';
export * from './trust-list.js';
