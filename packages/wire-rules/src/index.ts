export * from './advisories.js';
export * from './embargo.js';
export * from './provenance-rules.js';
export * from './restrictions.js';
export * from './transmission.js';
