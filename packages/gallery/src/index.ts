export * from './alt-text.js';
export * from './feeds.js';
export * from './manifest.js';
export * from './near-duplicates.js';
export * from './photo-provenance.js';
export * from './published-objects.js';
