export * from './photo-intake.js';
export * from './sniff.js';
