export * from './cadence.js';
export * from './health.js';
export * from './monitor.js';
export * from './rejections.js';
export * from './state.js';
