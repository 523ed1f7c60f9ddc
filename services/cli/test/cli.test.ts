import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../src/commands/ingest.js';
import { storyFromArgs } from '../src/commands/stories.js';

describe('lightbox stories add', () => {
  it('builds the POST /v1/stories body from flags', async () => {
    const body = await storyFromArgs([
      '--slug',
      'super-bowl-lix',
      '--headline',
      'Eagles win',
      '--event',
      'Super Bowl LIX',
      '--start',
      '2025-02-09T17:30:00-06:00',
      '--end',
      '2025-02-09T21:30:00-06:00',
      '--venue',
      'Caesars Superdome',
      '--alias',
      'Super Bowl 59',
      '--alias',
      'SB LIX',
      '--keyword',
      'nfl',
    ]);
    expect(body).toEqual({
      slug: 'super-bowl-lix',
      headline: 'Eagles win',
      event: {
        name: 'Super Bowl LIX',
        start: '2025-02-09T17:30:00-06:00',
        end: '2025-02-09T21:30:00-06:00',
        venue: 'Caesars Superdome',
        aliases: ['Super Bowl 59', 'SB LIX'],
      },
      keywords: ['nfl'],
    });
  });

  it('takes a duration instead of an end, and story files as JSON or NewsML-G2 XML', async () => {
    const body = (await storyFromArgs([
      '--slug',
      's',
      '--headline',
      'h',
      '--event',
      'e',
      '--start',
      '2025-02-09T17:30:00-06:00',
      '--duration',
      'PT4H',
    ])) as { event: Record<string, unknown> };
    expect(body.event).toEqual({ name: 'e', start: '2025-02-09T17:30:00-06:00', duration: 'PT4H' });
    const dir = await tempDir();
    await writeFile(join(dir.path, 'story.json'), '{"slug":"x"}');
    await writeFile(join(dir.path, 'story.xml'), '  <?xml version="1.0"?><conceptItem/>');
    expect(await storyFromArgs(['--file', join(dir.path, 'story.json')])).toEqual({ slug: 'x' });
    expect(await storyFromArgs(['--file', join(dir.path, 'story.xml')])).toEqual({
      xml: '  <?xml version="1.0"?><conceptItem/>',
    });
    await dir.remove();
  });

  it('refuses unknown flags', async () => {
    await expect(storyFromArgs(['--colour', 'red'])).rejects.toThrow(/Unknown option/);
  });
});

describe('lightbox ingest', () => {
  it('walks directories, skips hidden files and sorts', async () => {
    const dir = await tempDir();
    await mkdir(join(dir.path, 'sub'));
    for (const f of ['b.jpg', 'a.jpg', '.hidden.jpg', 'sub/c.jpg']) await writeFile(join(dir.path, f), 'x');
    expect((await collectFiles([dir.path])).map((f) => f.slice(dir.path.length + 1))).toEqual([
      'a.jpg',
      'b.jpg',
      'sub/c.jpg',
    ]);
    await dir.remove();
  });
});
