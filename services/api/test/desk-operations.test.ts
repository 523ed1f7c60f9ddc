import { readFile } from 'node:fs/promises';
import { BULK_PRIORITY } from '@lightbox/queue';
import { fixturePath } from '@lightbox/test-infra';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const FEED = 'feed-key-ap';
const EDITOR = 'editor-token-1';
const ADMIN = 'admin:admin-token-1';

/** Issue 16 phase B through the JSON API: fresh-first marks, runtime settings, feed health. */
describe('desk operations over HTTP', () => {
  let api: TestApi;
  let app: FastifyInstance;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_FEED_KEYS: `ap:${FEED}`,
      LIGHTBOX_EDITOR_TOKENS: EDITOR,
      LIGHTBOX_ADMIN_TOKENS: ADMIN,
    });
    ({ app } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('fresh first', () => {
    const push = async (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/photos',
        headers: { ...auth(FEED), 'content-type': 'image/jpeg', ...headers },
        body: await readFile(fixturePath('real/wire/reuters-neuss-2020.jpg')),
      });

    it('X-Lightbox-Priority: bulk marks the photo; its ingest waits behind live work', async () => {
      const res = await push({ 'x-lightbox-priority': 'bulk' });
      expect(res.statusCode).toBe(202);
      const { photoId } = res.json() as { photoId: string };
      const detail = await app.inject({ method: 'GET', url: `/v1/photos/${photoId}`, headers: auth(EDITOR) });
      expect(detail.json()).toMatchObject({ photoId, priority: 'bulk' });
      const jobs = await api.queues.queue('ingest').getJobs(['prioritized']);
      expect(jobs.map((j) => [j.data.photoId, j.opts.priority])).toEqual([[photoId, BULK_PRIORITY]]);
    });

    it('refuses a priority it does not know', async () => {
      const res = await push({ 'x-lightbox-priority': 'urgent' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/live or bulk/);
    });
  });
});
