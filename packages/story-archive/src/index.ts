export * from './story-archive.js';
