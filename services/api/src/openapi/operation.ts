import type { Access, RouteClass } from '@lightbox/access';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import type { z } from 'zod';

/** Who may call an operation: nobody needs to sign in, or a feed key, reader, editor or admin. */
export type Caller = 'public' | 'feed' | 'reader' | 'editor' | 'admin' | 'metrics';

export interface OperationResponse {
  description: string;
  /** The body's schema (JSON unless `contentType` says otherwise); none for an empty body. */
  schema?: z.ZodType;
  contentType?: string;
}

/**
 * One operation of the JSON API, described by the same zod schemas the desk parses its input with
 * and types its results by. The OpenAPI document (`/v1/openapi.json`) is generated from these.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Fastify path (`/v1/photos/:id`). */
  path: string;
  /** A stable name for generated clients. */
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  caller: Caller;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema?: z.ZodType; contentTypes?: string[]; description?: string };
  responses: Record<number, OperationResponse>;
  /** How the rate limiter counts the route (default: per principal). */
  rateClass?: RouteClass;
  /** Left out of the OpenAPI document (CORS preflight). */
  hidden?: boolean;
}

/** Every operation registered, in order: what the OpenAPI document describes. */
export class ApiDescription {
  readonly operations: Operation[] = [];
}

/** The guard each kind of caller gets (`Access` preHandlers); public and metrics routes check themselves. */
function guard(auth: Access, caller: Caller) {
  switch (caller) {
    case 'feed':
      return auth.requireFeed;
    case 'reader':
      return auth.requireReader;
    case 'editor':
      return auth.requireEditor;
    case 'admin':
      return auth.requireAdmin;
    default:
      return undefined;
  }
}

/** A route that registers itself with Fastify and with the API description, from one definition. */
export type RouteRegistrar = (operation: Operation, handler: RouteHandlerMethod) => void;

export function routeRegistrar(
  app: FastifyInstance,
  auth: Access,
  description: ApiDescription,
): RouteRegistrar {
  return (operation, handler) => {
    description.operations.push(operation);
    const preHandler = guard(auth, operation.caller);
    app.route({
      method: operation.method,
      url: operation.path,
      ...(preHandler ? { preHandler } : {}),
      ...(operation.rateClass ? { config: { rateClass: operation.rateClass } } : {}),
      handler,
    });
  };
}
