export * from './keys.js';
export * from './photo-catalog.js';
export * from './story-catalog.js';
