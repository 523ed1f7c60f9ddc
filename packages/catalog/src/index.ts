export * from './audit-log.js';
export * from './keys.js';
export * from './photo-catalog.js';
export * from './search-terms.js';
export * from './story-catalog.js';
