export * from './story-archive.js';
export * from './undecided-photo-archive.js';
