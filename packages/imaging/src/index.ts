export * from './errors.js';
export * from './render.js';
export * from './renditions.js';
export * from './watermark.js';
