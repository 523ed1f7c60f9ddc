export { buildApiServer } from './api-server.js';
export { Authenticator, findSecret } from './auth.js';
export type { ApiDeps } from './deps.js';
export { ApiError } from './errors.js';
