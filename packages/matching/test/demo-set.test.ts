import { readdir, readFile } from 'node:fs/promises';
import type { Story } from '@lightbox/contracts';
import { readPhotoMetadata } from '@lightbox/metadata';
import { demoPath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { matchPhoto } from '../src/index.js';

describe('demo wire set', async () => {
  const expected = JSON.parse(await readFile(demoPath('expected.json'), 'utf8')) as {
    ceremonyFiles: string[];
    distractorFiles: string[];
  };
  const input = JSON.parse(await readFile(demoPath('story.json'), 'utf8'));
  const story: Story = { ...input, id: 'st_demo', status: 'open', createdAt: '', updatedAt: '' };
  const files = (await readdir(demoPath('wire'))).sort();

  it.each(files)('%s', async (file) => {
    const { metadata } = await readPhotoMetadata(await readFile(demoPath(`wire/${file}`)));
    const out = matchPhoto(metadata, [story]);
    if (expected.ceremonyFiles.includes(file)) expect(out.decision).toBe('matched');
    else expect(out.decision).not.toBe('matched');
  });
});
