export * from './errors.js';
export * from './gallery.js';
export * from './imaging.js';
export * from './keys.js';
export * from './photo.js';
export * from './queues.js';
export * from './story.js';
export * from './webhooks.js';
