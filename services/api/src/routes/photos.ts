import multipart from '@fastify/multipart';
import type { Access as Authenticator } from '@lightbox/access';
import type { Photo } from '@lightbox/contracts';
import {
  type IntakeResult,
  type IntakeSource,
  type SpooledFile,
  UploadTooLargeError,
} from '@lightbox/intake';
import { mostSyntheticSourceType } from '@lightbox/wire-rules';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { actor } from './actor.js';

const ACCEPTED_TYPES = /^(image\/[\w.+-]+|application\/octet-stream)$/i;
const MAX_SIDECAR_BYTES = 1024 * 1024;

/**
 * Provenance and rights as editors see them: the original's Content Credentials as checked at
 * intake (with a link to its kept manifest store), how the picture was made (the more synthetic of
 * XMP and C2PA, labelled), why an editor must decide it, the graphic-content flag and the licence.
 */
export function photoProvenanceView(photo: Photo, urlFor: (key: string) => string) {
  const source = mostSyntheticSourceType(
    photo.metadata?.digitalSourceType,
    photo.provenance?.c2pa.digitalSourceType,
  );
  const store = photo.provenance?.manifestStoreKey;
  return {
    provenance: photo.provenance
      ? {
          ...photo.provenance.c2pa,
          checkedAt: photo.provenance.checkedAt,
          manifestStoreUrl: store ? urlFor(store) : null,
        }
      : null,
    digitalSourceType: source
      ? {
          value: source.value,
          code: source.code ?? null,
          label: source.label,
          needsReview: source.needsReview,
        }
      : null,
    reviewReason: photo.reviewReason ?? null,
    sensitive: photo.sensitive ?? null,
    expiresAt: photo.expiresAt ?? null,
    licence: photo.licence ?? null,
  };
}

export interface PhotoRouteOptions {
  maxUploadBytes: number;
}

function replyFor(reply: FastifyReply, result: IntakeResult) {
  if (result.status === 'rejected' && !result.duplicate) {
    const [code, ...rest] = (result.reason ?? 'rejected: input rejected').split(': ');
    // Another feed's picture is a conflict over who owns it, not bad bytes.
    const httpStatus = code === 'identity_owned_by_other_feed' ? 409 : 422;
    throw new ApiError(httpStatus, code ?? 'rejected', rest.join(': ') || 'Input rejected', {
      photoId: result.photoId,
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

export function photoRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  auth: Authenticator,
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

    push.post('/v1/photos', { preHandler: auth.requireFeed }, async (request, reply) => {
      const feed = request.principal?.feed ?? 'unknown';
      try {
        if (request.isMultipart()) return replyFor(reply, await acceptMultipart(request, feed));
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
        return replyFor(
          reply,
          await deps.intake.acceptStream(request.raw, { feed, filename, route: 'http' }),
        );
      } catch (err) {
        if (err instanceof UploadTooLargeError) throw new ApiError(413, 'payload_too_large', err.message);
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
  async function acceptMultipart(request: FastifyRequest, feed: string): Promise<IntakeResult> {
    let spooled: SpooledFile | undefined;
    const source: IntakeSource = { feed, route: 'http' };
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
        } else if (spooled) {
          part.file.resume();
          throw new ApiError(400, 'bad_request', 'Send one photo per request');
        } else {
          source.filename = part.filename;
          spooled = await deps.intake.spool(part.file);
          if (part.file.truncated) throw new UploadTooLargeError(options.maxUploadBytes);
        }
      }
      if (!spooled) throw new ApiError(400, 'bad_request', 'The multipart body has no photo file part');
      return await deps.intake.accept(spooled, source);
    } finally {
      if (spooled) await deps.intake.discard(spooled);
    }
  }

  /** The decision with its reasons, and each candidate story named (slug, headline, status). */
  async function explainMatch(photo: Photo) {
    if (!photo.match) return null;
    const { decision, storyId, score, reasons, candidates, matchedAt, manual } = photo.match;
    const stories = await Promise.all(candidates.map((c) => deps.stories.get(c.storyId)));
    return {
      decision,
      storyId,
      score,
      reasons,
      matchedAt,
      ...(manual ? { manual } : {}),
      candidates: candidates.map((c, i) => ({
        ...c,
        slug: stories[i]?.slug ?? null,
        headline: stories[i]?.headline ?? null,
        storyStatus: stories[i]?.status ?? null,
      })),
    };
  }

  const smallest = (p: Photo) => [...(p.renditions ?? [])].sort((a, b) => a.width - b.width)[0];

  /** The editor inbox: photos the matcher was unsure about, newest capture first, with reasons. */
  app.get<{ Querystring: { limit?: string } }>(
    '/v1/review',
    { preHandler: auth.requireEditor },
    async (request) => {
      const limit = Math.min(500, Math.max(1, Number(request.query.limit) || 100));
      const ids = await deps.photos.awaitingStoryBetween(0, Number.MAX_SAFE_INTEGER);
      const photos = (await deps.photos.getMany(ids.reverse())).filter((p) => p.status === 'review');
      return Promise.all(
        photos.slice(0, limit).map(async (p) => ({
          photoId: p.photoId,
          caption: p.metadata?.caption ?? null,
          dateCreated: p.metadata?.dateCreated ?? null,
          thumbnail: smallest(p) ? deps.store.publicUrl((smallest(p) as { key: string }).key) : null,
          match: await explainMatch(p),
        })),
      );
    },
  );

  const assignBody = z.object({ storyId: z.string().min(1).max(64) }).strict();

  /** An editor puts the photo in a story (or moves it); automatic re-matching never undoes it. */
  app.post<{ Params: { id: string } }>(
    '/v1/photos/:id/assign',
    { preHandler: auth.requireEditor },
    async (request) => {
      const { storyId } = assignBody.parse(request.body ?? {});
      const photo = await deps.desk.assign(request.params.id, storyId, actor(request));
      return {
        photoId: photo.photoId,
        status: photo.status,
        storyId: photo.storyId ?? null,
        match: photo.match,
      };
    },
  );

  /** An editor takes the photo out of its story; automatic re-matching never puts it back. */
  app.post<{ Params: { id: string } }>(
    '/v1/photos/:id/unassign',
    { preHandler: auth.requireEditor },
    async (request) => {
      const photo = await deps.desk.unassign(request.params.id, actor(request));
      return { photoId: photo.photoId, status: photo.status, storyId: null, match: photo.match };
    },
  );

  /** An editor decides the photo belongs in no story (from the review inbox). */
  app.post<{ Params: { id: string } }>(
    '/v1/photos/:id/reject',
    { preHandler: auth.requireEditor },
    async (request) => {
      const photo = await deps.desk.reject(request.params.id, actor(request));
      return { photoId: photo.photoId, status: photo.status, storyId: null, match: photo.match };
    },
  );

  /** An editor lifts an embargo before its time (audited); the photo carries on to its gallery. */
  app.post<{ Params: { id: string } }>(
    '/v1/photos/:id/release-embargo',
    { preHandler: auth.requireEditor },
    async (request) => {
      const photo = await deps.desk.releaseEmbargo(request.params.id, actor(request));
      return { photoId: photo.photoId, status: photo.status, embargoReleased: photo.embargoReleased ?? null };
    },
  );

  /** An editor clears a hold (an embargo Lightbox could not read…); the photo carries on to matching. */
  app.post<{ Params: { id: string } }>(
    '/v1/photos/:id/release-hold',
    { preHandler: auth.requireEditor },
    async (request) => {
      const photo = await deps.desk.releaseHold(request.params.id, actor(request));
      return { photoId: photo.photoId, status: photo.status };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/photos/:id',
    { preHandler: auth.requireEditor },
    async (request) => {
      const photo = await deps.photos.get(request.params.id);
      if (!photo) throw new ApiError(404, 'not_found', `No photo ${request.params.id}`);
      const versions = await deps.photos.versions(photo.photoId);
      return {
        photoId: photo.photoId,
        status: photo.status,
        feed: photo.feed,
        filename: photo.filename ?? null,
        receivedAt: photo.receivedAt,
        updatedAt: photo.updatedAt,
        version: photo.version,
        metadata: photo.metadata ?? {},
        restrictions: photo.restrictions ?? [],
        embargoUntil: photo.embargoUntil ?? null,
        ...(photo.embargoReleased ? { embargoReleased: photo.embargoReleased } : {}),
        ...(photo.hold ? { hold: photo.hold } : {}),
        ...(photo.killed ? { killed: photo.killed } : {}),
        ...(photo.expired ? { expired: photo.expired } : {}),
        ...photoProvenanceView(photo, (k) => deps.store.publicUrl(k)),
        renditions: (photo.renditions ?? []).map((r) => ({ ...r, url: deps.store.publicUrl(r.key) })),
        placeholder: photo.placeholder ?? null,
        storyId: photo.storyId ?? null,
        phash: photo.phash ?? null,
        match: await explainMatch(photo),
        versions: versions.map(({ version, kind, outcome, receivedAt, feed, filename, caption, reason }) => ({
          version,
          kind,
          outcome: outcome ?? 'current',
          receivedAt,
          feed,
          filename: filename ?? null,
          caption: caption ?? null,
          ...(reason ? { reason } : {}),
        })),
        ...(photo.error ? { error: photo.error } : {}),
        audit: await deps.audit.of('photo', photo.photoId, 50),
      };
    },
  );
}
