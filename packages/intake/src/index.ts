export * from './photo-intake.js';
export * from './provenance-step.js';
export * from './sniff.js';
