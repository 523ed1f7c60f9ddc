export * from './node-process.js';
export * from './pid-files.js';
export * from './ports.js';
export * from './redis-server.js';
export * from './s3-gate.js';
export * from './s3rver.js';
export * from './sigv4.js';
export * from './supervisor.js';
