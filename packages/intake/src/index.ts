export * from './acceptance-log.js';
export * from './acceptance-replay.js';
export * from './classify.js';
export * from './photo-intake.js';
export * from './probe.js';
export * from './provenance-step.js';
export * from './receive.js';
export * from './sniff.js';
