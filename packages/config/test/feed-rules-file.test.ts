import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

describe('LIGHTBOX_FEED_RULES_FILE', () => {
  const write = async (text: string) => {
    const path = join(await mkdtemp(join(tmpdir(), 'lb-feed-rules-')), 'feeds.yaml');
    await writeFile(path, text);
    return path;
  };

  it('is loaded and validated at start-up', async () => {
    const path = await write(
      'version: 1\nfeeds:\n  ap:\n    codes: { nyc: New York City }\n    expiry: { expireAfterDays: 30 }\n',
    );
    expect(loadConfig({ LIGHTBOX_FEED_RULES_FILE: path }).feedRules).toEqual({
      version: 1,
      feeds: {
        ap: { codes: { nyc: 'New York City' }, expiry: { expireAfterDays: 30, applies: 'unpublished' } },
      },
    });
    expect(loadConfig({}).feedRules).toBeUndefined();
  });

  it('a bad file stops start-up with a clear error naming the file and the line', async () => {
    const path = await write('version: 1\nfeeds:\n  ap:\n    expiry: { expireAfterDays: soon }\n');
    expect(() => loadConfig({ LIGHTBOX_FEED_RULES_FILE: path })).toThrow(ConfigError);
    expect(() => loadConfig({ LIGHTBOX_FEED_RULES_FILE: path })).toThrow(
      `Invalid LIGHTBOX_FEED_RULES_FILE (${path}):\n  line 4: feeds.ap.expiry.expireAfterDays: Invalid input: expected number, received string`,
    );
    expect(() => loadConfig({ LIGHTBOX_FEED_RULES_FILE: `${path}.missing` })).toThrow(
      /^Cannot read LIGHTBOX_FEED_RULES_FILE \(.*\.missing\): ENOENT/,
    );
  });

  it("each feed's watermark is a rule ahead of LIGHTBOX_WATERMARK's, wherever render reads the watermark", async () => {
    const path = await write(
      'version: 1\nfeeds:\n  reuters:\n    watermark: { text: "{credit}", position: bottom-left, opacity: 0.7 }\n',
    );
    const watermark = loadConfig({
      LIGHTBOX_FEED_RULES_FILE: path,
      LIGHTBOX_WATERMARK: JSON.stringify({ rules: [{ match: { agency: 'AFP' }, text: 'AFP' }] }),
    }).watermark;
    expect(watermark?.rules).toEqual([
      { match: { feed: 'reuters' }, text: '{credit}', position: 'bottom-left', opacity: 0.7 },
      { match: { agency: 'AFP' }, text: 'AFP' },
    ]);
    expect(loadConfig({}).watermark).toBeUndefined();
  });
});
