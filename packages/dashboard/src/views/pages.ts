/** The dashboard's pages, one module per page (templates: server-rendered HTML, escaped by `html`). */
export * from './failures.js';
export * from './feeds.js';
export * from './overview.js';
export * from './photos.js';
export * from './review.js';
export * from './stories.js';
