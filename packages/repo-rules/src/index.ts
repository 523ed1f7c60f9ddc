export * from './declared.js';
export * from './rules.js';
export * from './scan.js';
export * from './sizes.js';
