import { UploadTooLargeError } from '@lightbox/intake';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';

const ACCEPTED_TYPES = /^(image\/[\w.+-]+|application\/octet-stream)$/i;

export interface PhotoRouteOptions {
  maxUploadBytes: number;
}

export function photoRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  auth: Authenticator,
  options: PhotoRouteOptions,
): void {
  // Push: a plugin of its own so that its catch-all body parser leaves the body as a stream.
  app.register(async (push) => {
    push.removeAllContentTypeParsers();
    push.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    push.post('/v1/photos', { preHandler: auth.requireFeed }, async (request, reply) => {
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      if (!ACCEPTED_TYPES.test(contentType)) {
        throw new ApiError(
          415,
          'unsupported_media_type',
          `Send the image bytes with an image/* Content-Type (got "${contentType || 'none'}")`,
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
      let result: Awaited<ReturnType<typeof deps.intake.acceptStream>>;
      try {
        result = await deps.intake.acceptStream(request.raw, {
          feed: request.principal?.feed ?? 'unknown',
          filename,
        });
      } catch (err) {
        if (err instanceof UploadTooLargeError) throw new ApiError(413, 'payload_too_large', err.message);
        throw err;
      }
      if (result.status === 'rejected') {
        const [code, ...rest] = (result.reason ?? 'rejected: input rejected').split(': ');
        throw new ApiError(422, code ?? 'rejected', rest.join(': ') || 'Input rejected', {
          photoId: result.photoId,
          duplicate: result.duplicate,
        });
      }
      if (result.duplicate)
        return reply.code(200).send({ photoId: result.photoId, status: result.status, duplicate: true });
      return reply.code(202).send({ photoId: result.photoId, status: result.status });
    });
  });

  app.get<{ Params: { id: string } }>(
    '/v1/photos/:id',
    { preHandler: auth.requireEditor },
    async (request) => {
      const photo = await deps.photos.get(request.params.id);
      if (!photo) throw new ApiError(404, 'not_found', `No photo ${request.params.id}`);
      return {
        photoId: photo.photoId,
        status: photo.status,
        feed: photo.feed,
        filename: photo.filename ?? null,
        receivedAt: photo.receivedAt,
        updatedAt: photo.updatedAt,
        metadata: photo.metadata ?? {},
        renditions: (photo.renditions ?? []).map((r) => ({ ...r, url: deps.store.publicUrl(r.key) })),
        match: photo.match
          ? {
              decision: photo.match.decision,
              storyId: photo.match.storyId,
              score: photo.match.score,
              reasons: photo.match.reasons,
              candidates: photo.match.candidates,
            }
          : null,
        ...(photo.error ? { error: photo.error } : {}),
      };
    },
  );
}
