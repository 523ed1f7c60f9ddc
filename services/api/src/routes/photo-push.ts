import multipart from '@fastify/multipart';
import type { Access as Authenticator } from '@lightbox/access';
import { INTAKE_PRIORITIES, type IntakePriority, VERSION_KINDS, VERSION_OUTCOMES } from '@lightbox/contracts';
import { errorSchema, photoStatusSchema } from '@lightbox/desk';
import {
  type IntakeResult,
  type IntakeSource,
  type ReceivedOriginal,
  transmissionRefused,
  UploadIncompleteError,
  UploadTooLargeError,
} from '@lightbox/intake';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { type ApiDescription, type Operation, routeRegistrar } from '../openapi/operation.js';

const ACCEPTED_TYPES = /^(image\/[\w.+-]+|application\/octet-stream)$/i;
const MAX_SIDECAR_BYTES = 1024 * 1024;

export interface PhotoRouteOptions {
  maxUploadBytes: number;
}

function replyFor(reply: FastifyReply, result: IntakeResult) {
  if (transmissionRefused(result)) {
    const [code, ...rest] = (result.reason ?? 'rejected: input rejected').split(': ');
    // Another feed's picture is a conflict over who owns it, not bad bytes.
    const httpStatus = code === 'identity_owned_by_other_feed' ? 409 : 422;
    throw new ApiError(httpStatus, code ?? 'rejected', rest.join(': ') || 'Input rejected', {
      photoId: result.photoId,
      // The photo's own status: a version refused alone leaves a published photo published.
      status: result.status,
      ...(result.version ? { version: result.version } : {}),
      ...(result.duplicate ? { duplicate: true } : {}),
    });
  }
  const body = {
    photoId: result.photoId,
    status: result.status,
    ...(result.version && result.version > 1 ? { version: result.version } : {}),
    ...(result.kind && result.kind !== 'original' ? { kind: result.kind } : {}),
    ...(result.outcome && result.outcome !== 'current' ? { outcome: result.outcome } : {}),
    ...(result.reason ? { reason: result.reason } : {}),
  };
  if (result.duplicate) return reply.code(200).send({ ...body, duplicate: true });
  return reply.code(202).send(body);
}

/** The header a bulk import sends (`lightbox ingest` does): its photos wait behind live wire photos. */
export const PRIORITY_HEADER = 'x-lightbox-priority';

/** `X-Lightbox-Priority: bulk` (or `live`, the default) as the intake source's priority. */
function priorityOf(request: FastifyRequest): IntakePriority | undefined {
  const value = request.headers[PRIORITY_HEADER];
  if (value === undefined) return undefined;
  const priority = (Array.isArray(value) ? value[0] : value)?.trim().toLowerCase();
  if (!INTAKE_PRIORITIES.includes(priority as IntakePriority))
    throw new ApiError(400, 'bad_request', `X-Lightbox-Priority must be ${INTAKE_PRIORITIES.join(' or ')}`);
  return priority as IntakePriority;
}

async function readLimited(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, 'payload_too_large', `The sidecar exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The answers `POST /v1/photos` gives (docs/api.md, docs/ingest.md). */
export const photoAcceptedSchema = z
  .object({
    photoId: z.string(),
    status: photoStatusSchema,
    version: z.number().int().optional(),
    kind: z.enum(VERSION_KINDS).optional(),
    outcome: z.enum(VERSION_OUTCOMES).optional(),
    reason: z.string().optional(),
    duplicate: z.literal(true).optional(),
  })
  .meta({ id: 'PhotoAccepted' });

const PUSH: Operation = {
  method: 'POST',
  path: '/v1/photos',
  operationId: 'pushPhoto',
  tag: 'photos',
  summary: 'A wire feed pushes a photo (raw bytes, or multipart with a NewsML-G2 sidecar)',
  description:
    'Raw image bytes with an image Content-Type (optional X-Filename), or multipart/form-data with one image part and an optional `sidecar` part. Streamed to disk while hashed; at most LIGHTBOX_MAX_UPLOAD_BYTES. Bulk imports send `X-Lightbox-Priority: bulk`: their work waits behind live wire photos.',
  caller: 'feed',
  body: { contentTypes: ['image/jpeg', 'image/*', 'application/octet-stream', 'multipart/form-data'] },
  responses: {
    200: { description: 'Exact duplicate of a known photo', schema: photoAcceptedSchema },
    202: {
      description: 'Accepted: a new photo, the next version of a known one, or a kill',
      schema: photoAcceptedSchema,
    },
    409: {
      description: 'identity_owned_by_other_feed: another feed group owns this picture',
      schema: errorSchema,
    },
    413: { description: 'payload_too_large', schema: errorSchema },
    415: { description: 'unsupported_media_type', schema: errorSchema },
    422: {
      description: 'Rejected input, recorded on the photo (code names the reason)',
      schema: errorSchema,
    },
  },
};

export function photoPushRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  auth: Authenticator,
  description: ApiDescription,
  options: PhotoRouteOptions,
): void {
  // Push: a plugin of its own so that its body parsers leave bodies as streams.
  app.register(async (push) => {
    push.removeAllContentTypeParsers();
    await push.register(multipart, {
      throwFileSizeLimit: true,
      // Keep client names as sent: intake refuses paths with a recorded reason, the same for every route.
      preservePath: true,
      limits: {
        fileSize: options.maxUploadBytes,
        files: 2,
        fields: 4,
        parts: 6,
        fieldSize: MAX_SIDECAR_BYTES,
      },
    });
    push.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    routeRegistrar(
      push,
      auth,
      description,
    )(PUSH, async (request, reply) => {
      const feed = request.principal?.feed ?? 'unknown';
      const priority = priorityOf(request);
      try {
        if (request.isMultipart()) return replyFor(reply, await acceptMultipart(request, feed, priority));
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        if (!ACCEPTED_TYPES.test(contentType)) {
          throw new ApiError(
            415,
            'unsupported_media_type',
            `Send the image bytes with an image/* Content-Type, or multipart/form-data with a "file" part (got "${contentType || 'none'}")`,
          );
        }
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxUploadBytes) {
          throw new ApiError(
            413,
            'payload_too_large',
            `Body of ${declared} bytes exceeds the ${options.maxUploadBytes}-byte limit`,
          );
        }
        const filenameHeader = request.headers['x-filename'];
        const filename = Array.isArray(filenameHeader) ? filenameHeader[0] : filenameHeader;
        // One pass: the body streams to object storage while it is hashed (one PUT of the declared
        // length; multipart when the length is not declared).
        return replyFor(
          reply,
          await deps.intake.acceptStream(
            request.raw,
            { feed, filename, route: 'http', priority },
            { contentLength: Number.isFinite(declared) ? declared : undefined },
          ),
        );
      } catch (err) {
        if (err instanceof UploadTooLargeError) throw new ApiError(413, 'payload_too_large', err.message);
        if (err instanceof UploadIncompleteError) throw new ApiError(400, 'incomplete_body', err.message);
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new ApiError(
            413,
            'payload_too_large',
            `File exceeds the ${options.maxUploadBytes}-byte limit`,
          );
        }
        throw err;
      }
    });
  });

  /** multipart/form-data: one image file part, plus an optional NewsML-G2 `sidecar` (file or field). */
  async function acceptMultipart(
    request: FastifyRequest,
    feed: string,
    priority: IntakePriority | undefined,
  ): Promise<IntakeResult> {
    let received: ReceivedOriginal | undefined;
    const source: IntakeSource = { feed, route: 'http', priority };
    let accepting = false;
    try {
      for await (const part of request.parts()) {
        const isSidecar =
          part.fieldname === 'sidecar' || (part.type === 'file' && /xml/i.test(part.mimetype));
        if (part.type === 'field') {
          if (isSidecar) source.sidecar = String(part.value);
          continue;
        }
        if (isSidecar) {
          source.sidecar = await readLimited(part.file, MAX_SIDECAR_BYTES);
        } else if (received) {
          part.file.resume();
          throw new ApiError(400, 'bad_request', 'Send one photo per request');
        } else {
          source.filename = part.filename;
          // The part's length is unknown: a multipart upload to storage as it streams in.
          received = await deps.intake.receive(part.file);
          if (part.file.truncated) throw new UploadTooLargeError(options.maxUploadBytes);
        }
      }
      if (!received) throw new ApiError(400, 'bad_request', 'The multipart body has no photo file part');
      accepting = true;
      return await deps.intake.accept(received, source);
    } finally {
      // `accept` keeps or deletes what was stored; a request that failed before it deletes it here.
      if (received && !accepting) await deps.intake.discard(received).catch(() => undefined);
    }
  }
}
