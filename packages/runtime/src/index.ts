export * from './open-lightbox.js';
export * from './photo-intake.js';
