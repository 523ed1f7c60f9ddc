import type { Actor } from '@lightbox/desk';
import type { FastifyRequest } from 'fastify';

/** The name the audit trail records for the caller of an authenticated route. */
export function actor(request: FastifyRequest): string {
  return request.principal?.name ?? 'unknown';
}

/** The caller as the desk sees them: audit name and role. */
export function deskActor(request: FastifyRequest): Actor {
  return { name: actor(request), role: request.principal?.kind === 'admin' ? 'admin' : 'editor' };
}
