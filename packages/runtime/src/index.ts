export * from './metrics-listener.js';
export * from './open-lightbox.js';
export * from './photo-intake.js';
export * from './settings.js';
