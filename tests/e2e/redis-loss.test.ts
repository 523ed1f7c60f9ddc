import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GalleryManifest, stageIsIdle } from '@lightbox/contracts';
import { demoPath, eventually, REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { exiftool, type WriteTags } from 'exiftool-vendored';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type QueueView } from '../support/api-types.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';

interface PhotoDetail {
  photoId: string;
  status: string;
  version: number;
  killed?: { reason: string };
  versions: { version: number; kind: string; outcome: string }[];
}

/**
 * Issue 18: S3 is the source of truth, Redis can be rebuilt. On the real stack (`lightbox start`),
 * Redis is flushed entirely while photos are in flight; `lightbox reconcile` (or, by default, the
 * worker noticing the loss by itself) rebuilds it from object storage, and every accepted photo ends
 * published with the right versions and kills.
 */
describe.each([
  { how: 'lightbox reconcile --everything', auto: false },
  { how: 'the worker, by itself', auto: true },
])('Redis flushed mid-run, rebuilt by $how', ({ auto }) => {
  let stack: StackUnderTest;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let storyId: string;

  const api = stackApi(() => stack);
  const push = async (body: Buffer) => {
    const res = await api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(body),
    });
    expect(res.status).toBe(202);
    return json<{ photoId: string; status: string }>(res);
  };
  const photo = async (id: string) => {
    const res = await api(`/v1/photos/${id}`, { token: stack.editorToken });
    return res.status === 200 ? json<PhotoDetail>(res) : undefined;
  };
  const gallery = async () => {
    const res = await api(`/v1/galleries/${storyId}`);
    return res.status === 200 ? json<GalleryManifest>(res) : undefined;
  };
  const galleryIds = async () =>
    ((await gallery())?.photos ?? []).flatMap((p) => [p.photoId, ...p.alternates.map((a) => a.photoId)]);
  const idle = async () =>
    (await json<QueueView[]>(api('/v1/queues', { token: stack.editorToken }))).every(stageIsIdle);

  let n = 0;
  const picture = async (guid: string, tags: WriteTags = {}) => {
    const file = `OLY_CLOSING_${String((n % 16) + 1).padStart(2, '0')}.jpg`;
    const path = join(work.path, `${++n}-${file}`);
    await copyFile(demoPath(`wire/${file}`), path);
    await exiftool.write(path, { 'XMP-iptcExt:DigitalImageGUID': guid, ...tags } as WriteTags, {
      writeArgs: ['-overwrite_original'],
    });
    return readFile(path);
  };
  const caption = (text: string) =>
    ({ 'IPTC:Caption-Abstract': text, 'XMP-dc:Description': text }) as WriteTags;
  const guid = () => `urn:lightbox:loss:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    work = await tempDir();
    stack = await startStackProcess({
      LIGHTBOX_RECONCILE_GRACE_S: '0',
      // Without the scheduler (and its watch), only the command reconciles.
      LIGHTBOX_RECONCILE_INTERVAL_S: auto ? '300' : '0',
      LIGHTBOX_PUBLISH_SPACING_MS: '500',
    });
    storyId = (await json<{ id: string }>(registerDemoStory(stack))).id;
  });
  afterAll(async () => {
    await stack?.destroy();
    await work?.remove();
  });

  it('every accepted photo ends published, with its versions and kills', async () => {
    // Before: four photos published, one corrected, one killed.
    const guids = Array.from({ length: 8 }, guid);
    const early = [];
    for (const g of guids.slice(0, 4)) early.push(await push(await picture(g)));
    await eventually(async () => (await galleryIds()).length === 4, 90_000, 300);
    const versionBefore = (await gallery())?.version ?? 0;
    await push(
      await picture(guids[0] as string, caption('CORRECTS NAME Fireworks over the Stade de France.')),
    );
    await push(await picture(guids[1] as string, caption('MANDATORY KILL. Wrong event.')));
    // In flight when Redis loses everything: accepted, not yet rendered.
    const late = [
      await push(await picture(guids[4] as string)),
      await push(await picture(guids[5] as string)),
    ];

    const redis = new Redis(stack.redisUrl);
    await redis.flushall();
    // After the loss, uploads go on (the story is gone until the rebuild brings it back).
    late.push(await push(await picture(guids[6] as string)));
    await redis.quit();

    if (!auto) {
      const out = await reconcile(stack);
      expect(out.code, out.text).toBe(0);
      expect(out.text).toMatch(/stories put back: 1/);
    }

    const accepted = [...early, ...late].map((p) => p.photoId);
    const [corrected, killed] = early.map((p) => p.photoId) as [string, string];
    await eventually(
      async () => {
        const ids = await galleryIds();
        return (
          accepted.every((id) => (id === killed ? !ids.includes(id) : ids.includes(id))) && (await idle())
        );
      },
      120_000,
      500,
    );
    const shown = await galleryIds();
    for (const id of accepted) expect(shown.includes(id), id).toBe(id !== killed);
    expect(new Set(shown).size).toBe(shown.length); // nothing twice
    expect((await gallery())?.version).toBeGreaterThan(versionBefore); // versions keep counting up

    expect(await photo(corrected)).toMatchObject({
      status: 'published',
      version: 2,
      versions: [
        { version: 1, kind: 'original', outcome: 'current' },
        { version: 2, kind: 'correction', outcome: 'current' },
      ],
    });
    const caption2 = (await gallery())?.photos.find((p) => p.photoId === corrected)?.caption;
    expect(caption2).toMatch(/Fireworks over the Stade de France/);
    expect(await photo(killed)).toMatchObject({
      status: 'killed',
      versions: [
        { version: 1, kind: 'original' },
        { version: 2, kind: 'kill', outcome: 'killed' },
      ],
    });
  });
});

/** `lightbox reconcile --everything` against the stack's Redis and S3, as an operator runs it. */
function reconcile(stack: StackUnderTest): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'services/cli/bin/lightbox.js'), 'reconcile', '--everything', '--grace-seconds', '0'],
      {
        env: {
          ...process.env,
          LIGHTBOX_DATA_DIR: stack.dataDir,
          REDIS_URL: stack.redisUrl,
          S3_ENDPOINT: stack.s3.endpoint,
          S3_BUCKET: stack.s3.bucket,
          S3_ACCESS_KEY_ID: stack.s3.accessKeyId,
          S3_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
    });
    child.stderr.on('data', (c) => {
      text += c;
    });
    child.on('exit', (code) => resolve({ code, text }));
  });
}
