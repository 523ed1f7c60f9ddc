import { AccessError } from '@lightbox/access';
import { CommitContentionError } from '@lightbox/catalog';
import type { ApiErrorBody } from '@lightbox/contracts';
import { DeskError } from '@lightbox/story-desk';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';

/** An error with an HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}): ApiErrorBody {
  return { error: { code, message, ...extra } } as ApiErrorBody;
}

/** Every error leaves as `{"error":{"code","message"}}` with a proper status. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });
  app.setErrorHandler((error: FastifyError | ApiError | ZodError | Error, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.extra));
    }
    if (error instanceof AccessError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    }
    if (error instanceof DeskError) {
      const status = { not_found: 404, conflict: 409, invalid: 400 }[error.code];
      return reply
        .code(status)
        .send(errorBody(error.code === 'invalid' ? 'validation_error' : error.code, error.message));
    }
    if (error instanceof CommitContentionError) {
      // Many writers on one picture at once: nothing was recorded; the sender tries again.
      return reply.code(503).header('retry-after', '1').send(errorBody('busy', error.message));
    }
    if (error instanceof ZodError) {
      const message = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      return reply.code(400).send(errorBody('validation_error', message, { issues: error.issues }));
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send(errorBody('payload_too_large', fe.message));
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send(errorBody('unsupported_media_type', fe.message));
    if (
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      fe.validation
    ) {
      return reply.code(400).send(errorBody('bad_request', fe.message));
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send(errorBody('bad_request', fe.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(errorBody('internal_error', 'Internal error; the details are in the server log'));
  });
}
