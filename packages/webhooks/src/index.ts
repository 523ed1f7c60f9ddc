export * from './events.js';
export * from './signature.js';
export * from './webhook-notifier.js';
export * from './webhook-sender.js';
