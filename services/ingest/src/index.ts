export * from './hot-folder.js';
export * from './s3-inbox.js';
