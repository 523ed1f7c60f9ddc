export * from './layout-leads.js';
export * from './publish-scheduler.js';
export * from './story-copies.js';
export * from './story-desk.js';
export * from './story-update.js';
