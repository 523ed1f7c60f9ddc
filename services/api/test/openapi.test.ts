import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const FEED = 'feed-key-openapi';
const EDITOR = 'editor-token-openapi';
const ADMIN = 'admin-token-openapi';

/** Every JSON route of the API: the document must describe each (docs/api.md lists them). */
const OPERATIONS = [
  'get /livez',
  'get /healthz',
  'get /metrics',
  'get /v1/openapi.json',
  'post /v1/photos',
  'get /v1/photos',
  'get /v1/photos/{id}',
  'post /v1/photos/{id}/assign',
  'post /v1/photos/{id}/unassign',
  'post /v1/photos/{id}/reject',
  'post /v1/photos/{id}/release-embargo',
  'post /v1/photos/{id}/release-hold',
  'get /v1/review',
  'post /v1/stories',
  'get /v1/stories',
  'get /v1/stories/{id}',
  'patch /v1/stories/{id}',
  'post /v1/stories/{id}/close',
  'get /v1/stories/{id}/gallery',
  'put /v1/stories/{id}/gallery',
  'get /v1/galleries',
  'get /v1/galleries/{storyId}',
  'get /v1/galleries/{storyId}/feed.{format}',
  'get /v1/queues',
  'get /v1/stats',
  'get /v1/dead-letters',
  'post /v1/jobs/{stage}/{jobId}/retry',
  'post /v1/jobs/{stage}/{jobId}/discard',
  'get /v1/admin/feeds',
  'post /v1/admin/feeds',
  'delete /v1/admin/feeds/{feed}',
  'get /v1/admin/webhooks',
  'post /v1/admin/webhooks',
  'patch /v1/admin/webhooks/{id}',
  'delete /v1/admin/webhooks/{id}',
  'get /v1/admin/inboxes',
  'post /v1/admin/inboxes',
  'patch /v1/admin/inboxes/{id}',
  'delete /v1/admin/inboxes/{id}',
  'get /v1/feeds',
];

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

describe('OpenAPI document', () => {
  let api: TestApi;
  let app: FastifyInstance;
  let document: Document;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_FEED_KEYS: `ap:${FEED}`,
      LIGHTBOX_EDITOR_TOKENS: EDITOR,
      LIGHTBOX_ADMIN_TOKENS: ADMIN,
    });
    app = api.app;
    const res = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect([res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([200, '']);
    document = res.json();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is served without credentials and is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route of the JSON API, and nothing else', () => {
    const described = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(described.sort()).toEqual([...OPERATIONS].sort());
  });

  it('says what real answers look like: responses validate against their documented schemas', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(document, 'openapi.json');
    const pointer = (path: string, method: string, status: number) =>
      `openapi.json#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${status}/content/application~1json/schema`;
    const check = async (method: string, url: string, path: string, status: number, payload?: unknown) => {
      const res = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: auth(EDITOR),
        ...(payload ? { payload: payload as object } : {}),
      });
      expect([url, res.statusCode]).toEqual([url, status]);
      const validate = ajv.getSchema(pointer(path, method, status));
      if (!validate) throw new Error(`no schema for ${method} ${path} ${status}`);
      expect([url, validate(res.json()) ? [] : validate.errors]).toEqual([url, []]);
      return res.json();
    };

    const story = await check('post', '/v1/stories', '/v1/stories', 201, {
      slug: 'openapi-story',
      headline: 'Paris Olympics end',
      event: { name: 'Closing ceremony', start: '2024-08-11T21:00:00+02:00', duration: 'PT3H30M' },
    });
    await check('get', '/v1/stories', '/v1/stories', 200);
    await check('get', `/v1/stories/${story.id}`, '/v1/stories/{id}', 200);
    await check('get', `/v1/stories/${story.id}/gallery`, '/v1/stories/{id}/gallery', 200);
    const pushed = await app.inject({
      method: 'POST',
      url: '/v1/photos',
      headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
      body: await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg')),
    });
    expect(pushed.statusCode).toBe(202);
    const photoId = pushed.json().photoId as string;
    await check('get', `/v1/photos/${photoId}`, '/v1/photos/{id}', 200);
    await check('get', '/v1/photos?q=bush&limit=5', '/v1/photos', 200);
    await check('post', `/v1/photos/${photoId}/assign`, '/v1/photos/{id}/assign', 200, { storyId: story.id });
    await check('get', '/v1/review', '/v1/review', 200);
    await check('get', '/v1/queues', '/v1/queues', 200);
    await check('get', '/v1/stats', '/v1/stats', 200);
    await check('get', '/v1/dead-letters', '/v1/dead-letters', 200);
    await check('get', '/v1/photos/ph_none', '/v1/photos/{id}', 404);
  });
});
