import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stageIsIdle } from '@lightbox/contracts';
import { ApiClientError, type LightboxApiClient } from '../api-client.js';
import { collectFiles, ingestFiles } from './ingest.js';

/** The demo wire set shipped in the repository (`demo/`). */
export const DEMO_DIR = fileURLToPath(new URL('../../../../demo/', import.meta.url));

interface DemoExpectations {
  story: string;
  ceremonyFiles: string[];
  distractorFiles: string[];
}

/**
 * Registers the closing-ceremony story, pushes the demo wire set over HTTP like a feed, waits
 * until the gallery holds the ceremony photos, and returns the gallery's id.
 */
export async function runDemo(
  client: LightboxApiClient,
  say: (line: string) => void,
  timeoutMs = 120_000,
): Promise<{ storyId: string; photos: number }> {
  const expected = JSON.parse(await readFile(join(DEMO_DIR, 'expected.json'), 'utf8')) as DemoExpectations;
  const storyInput = JSON.parse(await readFile(join(DEMO_DIR, expected.story), 'utf8')) as { slug: string };
  let storyId: string;
  try {
    storyId = (await client.createStory(storyInput)).body.id;
    say(`Story registered: ${storyInput.slug} (${storyId})`);
  } catch (err) {
    if (!(err instanceof ApiClientError && err.status === 409)) throw err;
    const existing = (await client.listStories()).body.find((s) => s.slug === storyInput.slug);
    if (!existing) throw err;
    storyId = existing.id;
    say(`Story already registered: ${storyInput.slug} (${storyId})`);
  }
  const files = await collectFiles([join(DEMO_DIR, 'wire')]);
  say(`Pushing ${files.length} wire photos …`);
  await ingestFiles(client, files, say);

  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while (Date.now() < deadline) {
    try {
      count = (await client.gallery(storyId)).body.photos.length;
    } catch (err) {
      if (!(err instanceof ApiClientError && err.status === 404)) throw err;
    }
    const idle = (await client.queues()).body.every(stageIsIdle);
    if (count >= expected.ceremonyFiles.length && idle) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { storyId, photos: count };
}
