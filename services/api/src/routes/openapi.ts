import { readFileSync } from 'node:fs';
import { openApiDocument } from '../openapi/document.js';
import type { ApiDescription, RouteRegistrar } from '../openapi/operation.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** `GET /v1/openapi.json`: the OpenAPI 3.1 document of every route registered with a description. */
export function openApiRoutes(route: RouteRegistrar, description: ApiDescription): void {
  let document: Record<string, unknown> | undefined;
  route(
    {
      method: 'GET',
      path: '/v1/openapi.json',
      operationId: 'openApi',
      tag: 'meta',
      summary: 'This document: the API described, generated from the schemas the handlers use',
      caller: 'public',
      rateClass: 'public-read',
      responses: { 200: { description: 'OpenAPI 3.1' } },
    },
    async () => {
      document ??= openApiDocument(description.operations, { version: VERSION });
      return document;
    },
  );
}
