export { Access, findSecret } from '@lightbox/access';
export { buildApiServer } from './api-server.js';
export type { ApiDeps } from './deps.js';
export { ApiError } from './errors.js';
