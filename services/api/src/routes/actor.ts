import type { FastifyRequest } from 'fastify';

/** The name the audit trail records for the caller of an authenticated route. */
export function actor(request: FastifyRequest): string {
  return request.principal?.name ?? 'unknown';
}
