import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';

const PAGE_DIR = fileURLToPath(new URL('../../../../examples/gallery-page/', import.meta.url));

/** The files of the example downstream page, by URL path; nothing else is served. */
const FILES: Record<string, { file: string; type: string }> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  'gallery.js': { file: 'gallery.js', type: 'text/javascript; charset=utf-8' },
  'gallery.css': { file: 'gallery.css', type: 'text/css; charset=utf-8' },
  'vendor/thumbhash.js': { file: 'vendor/thumbhash.js', type: 'text/javascript; charset=utf-8' },
};

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * `GET /examples/gallery-page/…`: the example downstream page (examples/gallery-page), public. The
 * page renders manifests from its own origin and from `manifestOrigins` (this Lightbox's object
 * storage), which are written into its `lightbox-manifest-origins` meta tag.
 */
export function exampleRoutes(
  app: FastifyInstance,
  { manifestOrigins }: { manifestOrigins: string[] },
): void {
  const origins = escapeAttribute(manifestOrigins.join(' '));
  const config = { rateClass: 'public-read' as const };
  app.get('/examples/gallery-page', { config }, async (_request, reply) =>
    reply.redirect('/examples/gallery-page/'),
  );
  app.get<{ Params: { '*': string } }>('/examples/gallery-page/*', { config }, async (request, reply) => {
    const entry = FILES[request.params['*']];
    if (!entry) throw new ApiError(404, 'not_found', `No file ${request.params['*']} in the example page`);
    let body: Buffer | string = await readFile(`${PAGE_DIR}${entry.file}`);
    if (entry.file === 'index.html')
      body = body
        .toString('utf8')
        .replace(
          '<meta name="lightbox-manifest-origins" content=""',
          `<meta name="lightbox-manifest-origins" content="${origins}"`,
        );
    return reply.type(entry.type).header('cache-control', 'no-cache').send(body);
  });
}
