export * from './matcher.js';
export * from './phrase.js';
export * from './text.js';
export * from './tfidf.js';
export * from './time-window.js';
