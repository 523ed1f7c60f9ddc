import { createHash, timingSafeEqual } from 'node:crypto';
import type { FeedKey } from '@lightbox/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares a presented secret against each known one in constant time (over fixed-length digests). */
export function findSecret<T>(presented: string, entries: { secret: string; value: T }[]): T | undefined {
  const p = digest(presented);
  let found: T | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(p, digest(entry.secret)) && found === undefined) found = entry.value;
  }
  return found;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = header.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1] : undefined;
}

export interface Principal {
  kind: 'feed' | 'editor';
  /** Feed name for feed keys. */
  feed?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export class Authenticator {
  private readonly feeds: { secret: string; value: Principal }[];
  private readonly editors: { secret: string; value: Principal }[];

  constructor(feedKeys: FeedKey[], editorTokens: string[]) {
    this.feeds = feedKeys.map((k) => ({ secret: k.key, value: { kind: 'feed', feed: k.feed } }));
    this.editors = editorTokens.map((t) => ({ secret: t, value: { kind: 'editor' } }));
  }

  private identify(request: FastifyRequest): Principal | undefined {
    const token = bearerToken(request);
    if (!token) return undefined;
    return findSecret(token, this.editors) ?? findSecret(token, this.feeds);
  }

  /** preHandler: only feed keys may push photos. */
  readonly requireFeed = async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = this.identify(request);
    if (!principal)
      throw new ApiError(401, 'unauthorized', 'A feed key is required: Authorization: Bearer <key>');
    if (principal.kind !== 'feed') throw new ApiError(403, 'forbidden', 'Only feed keys may push photos');
    request.principal = principal;
  };

  /** preHandler: editor tokens only; feed keys cannot read or act on the newsroom side. */
  readonly requireEditor = async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = this.identify(request);
    if (!principal)
      throw new ApiError(401, 'unauthorized', 'An editor token is required: Authorization: Bearer <token>');
    if (principal.kind !== 'editor') throw new ApiError(403, 'forbidden', 'Feed keys can only push photos');
    request.principal = principal;
  };
}
