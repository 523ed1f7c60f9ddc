export * from './evaluate.js';
export * from './keys.js';
export * from './matcher.js';
export * from './phrase.js';
export * from './places.js';
export * from './story-index.js';
export * from './text.js';
export * from './time-window.js';
