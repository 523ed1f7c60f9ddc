import { stateKeys } from '@lightbox/catalog';
import type { Story } from '@lightbox/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const EDITOR = 'editor-token-keys';
const auth = { authorization: `Bearer ${EDITOR}` };

/** Exact keys (`event.ids`) and the story's own place list on POST/PATCH /v1/stories. */
describe('story event ids and places', () => {
  let api: TestApi;
  let app: FastifyInstance;
  beforeAll(async () => {
    api = await startTestApi({ LIGHTBOX_EDITOR_TOKENS: EDITOR });
    ({ app } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const base = {
    slug: 'new-years-eve-london',
    headline: 'London sees in 2025 with fireworks over the Thames',
    event: {
      name: "New Year's Eve in London",
      city: 'London',
      country: 'United Kingdom',
      start: '2024-12-31T20:00:00+00:00',
      end: '2025-01-01T01:30:00+00:00',
      ids: [' urn:newsml:ap.org:20241231:event:nye-london ', 'LON-NYE-24'],
      places: ['Westminster', 'South Bank'],
    },
  };

  it('POST stores the ids (trimmed) and places; PATCH replaces them', async () => {
    const created = await app.inject({ method: 'POST', url: '/v1/stories', headers: auth, payload: base });
    expect(created.statusCode).toBe(201);
    const story = created.json() as Story;
    expect(story.event).toMatchObject({
      ids: ['urn:newsml:ap.org:20241231:event:nye-london', 'LON-NYE-24'],
      places: ['Westminster', 'South Bank'],
    });
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/stories/${story.id}`,
      headers: auth,
      payload: { event: { ids: ['tag:ap.org:2024:pic:a1b2c3'] } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().event).toMatchObject({
      ids: ['tag:ap.org:2024:pic:a1b2c3'],
      places: ['Westminster', 'South Bank'],
      name: "New Year's Eve in London",
    });
  });

  it('refuses empty ids and names the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/stories',
      headers: auth,
      payload: { ...base, slug: 'bad-ids', event: { ...base.event, ids: ['ok', '  '] } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('event.ids.1');
  });

  it('registers the keys of a NewsML-G2 text item (event subject, seeAlso and associated pictures)', async () => {
    const xml = `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="tag:ap.org:2024:text:1" version="1"><itemMeta><itemClass qcode="ninat:text"/><link rel="irel:associatedWith" residref="tag:ap.org:2024:pic:d4e5f6"/></itemMeta><contentMeta><contentCreated>2024-12-31T22:10:00+00:00</contentCreated><subject type="cpnat:event" qcode="apevent:nye2024-lon"><name>London New Year</name></subject><slugline>Britain New Year XML</slugline><headline>London fireworks</headline></contentMeta></newsItem>`;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/stories',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: xml,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().event.ids).toEqual(['apevent:nye2024-lon', 'tag:ap.org:2024:pic:d4e5f6']);
  });

  it('reads and edits a story stored by the previous release (no ids, no places)', async () => {
    const old: Story = {
      id: 'st_oldrelease0001',
      slug: 'old-release-story',
      headline: 'Stored before event ids existed',
      status: 'open',
      createdAt: '2024-08-01T00:00:00.000Z',
      updatedAt: '2024-08-01T00:00:00.000Z',
      event: { name: 'Old event', start: '2024-08-11T21:00:00+02:00', end: '2024-08-12T00:30:00+02:00' },
    };
    await api.redis.set(stateKeys(api.config.redisPrefix).story(old.id), JSON.stringify(old));
    const read = await app.inject({ method: 'GET', url: `/v1/stories/${old.id}`, headers: auth });
    expect(read.statusCode).toBe(200);
    expect(read.json().event).not.toHaveProperty('ids');
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/stories/${old.id}`,
      headers: auth,
      payload: { event: { ids: ['urn:x'] } },
    });
    expect(patched.json().event).toMatchObject({ name: 'Old event', ids: ['urn:x'] });
  });
});
