export * from './node-process.js';
export * from './ports.js';
export * from './redis-server.js';
export * from './s3rver.js';
