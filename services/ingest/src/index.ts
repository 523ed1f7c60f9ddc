export * from './hot-folder.js';
