export type { ArchivedPhoto } from './archived-state.js';
export * from './story-archive.js';
export * from './undecided-photo-archive.js';
