export * from './hot-folder.js';
export * from './inbox-pollers.js';
export * from './s3-inbox.js';
