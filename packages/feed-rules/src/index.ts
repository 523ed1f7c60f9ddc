export * from './parse.js';
export * from './rules.js';
export * from './schema.js';
