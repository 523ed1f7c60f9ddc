import { appendFile, readdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntakeRejection } from '@lightbox/catalog';
import { type IntakeResult, type IntakeSource, imageEnds } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { fixturePath, tempDir } from '@lightbox/test-infra';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_INCOMPLETE_MS,
  DEFAULT_QUIET_MS,
  HotFolderWatcher,
  isIgnoredName,
  ORPHAN_SIDECAR_MS,
} from '../src/index.js';

describe('HotFolderWatcher', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let calls: { path: string; source: IntakeSource }[];
  let next: (path: string) => Promise<IntakeResult>;
  let clock: number;
  const make = (extra: Partial<ConstructorParameters<typeof HotFolderWatcher>[0]> = {}) =>
    new HotFolderWatcher({
      dir: dir.path,
      feed: 'hotfolder',
      pollMs: 1_000_000, // polls are driven by hand
      accept: async (path, source) => {
        calls.push({ path, source });
        return next(path);
      },
      log: createLogger({ name: 'test', level: 'silent' }),
      now: () => clock,
      ...extra,
    });
  let watcher: HotFolderWatcher;
  /** Two polls the quiet period apart: a file written before is taken. */
  const quietPoll = async () => {
    await watcher.poll();
    clock += DEFAULT_QUIET_MS;
    await watcher.poll();
  };

  beforeEach(async () => {
    dir = await tempDir('lb-hot-');
    calls = [];
    clock = 1_000_000;
    next = async () => ({ photoId: 'ph_1', status: 'received', duplicate: false });
    watcher = make();
    await watcher.prepare(); // no timer: the tests call poll() themselves
  });
  afterEach(async () => dir.remove());

  it('takes a file only once its size and mtime stayed the same for the quiet period', async () => {
    await writeFile(join(dir.path, 'a.jpg'), 'part one');
    await watcher.poll();
    expect(calls).toHaveLength(0);
    clock += DEFAULT_QUIET_MS - 1;
    await appendFile(join(dir.path, 'a.jpg'), ' and more');
    await watcher.poll();
    clock += DEFAULT_QUIET_MS - 1;
    await watcher.poll();
    expect(calls).toHaveLength(0); // changed 4.999 s ago: not yet
    clock += 1;
    await watcher.poll();
    expect(calls.map((c) => c.source)).toEqual([
      { feed: 'hotfolder', filename: 'a.jpg', route: 'hot-folder' },
    ]);
    expect(await readdir(join(dir.path, '_processed'))).toEqual(['a.jpg']);
    expect(await readdir(dir.path)).not.toContain('a.jpg');
  });

  it('waits for a writer that pauses mid-file: a JPEG without its end is not taken', async () => {
    const jpeg = await readFile(fixturePath('real/camera/door-knocker.jpg'));
    const path = join(dir.path, 'slow.jpg');
    await writeFile(path, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await watcher.poll();
    clock += 3000; // the writer pauses 3 s
    await watcher.poll();
    clock += DEFAULT_QUIET_MS; // and longer than the quiet period: still no end-of-image marker
    await watcher.poll();
    expect(calls).toHaveLength(0);
    await appendFile(path, jpeg.subarray(Math.floor(jpeg.length / 2)));
    await quietPoll();
    expect(calls).toHaveLength(1);
    expect(await readdir(join(dir.path, '_processed'))).toEqual(['slow.jpg']);
  });

  it('sends a file that never becomes a whole image to _error after the longer wait, with a reason', async () => {
    const jpeg = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    await writeFile(join(dir.path, 'cut.jpg'), jpeg.subarray(0, jpeg.length - 100));
    await quietPoll();
    clock += DEFAULT_INCOMPLETE_MS / 2;
    await watcher.poll();
    expect(await readdir(dir.path)).toContain('cut.jpg');
    clock += DEFAULT_INCOMPLETE_MS;
    await watcher.poll();
    expect(calls).toHaveLength(0);
    expect(await readFile(join(dir.path, '_error', 'cut.jpg.reason.txt'), 'utf8')).toMatch(/^truncated: /);
    expect(imageEnds(jpeg)).toBe(true);
    expect(imageEnds(Buffer.concat([jpeg, Buffer.from('trailer after the end')]))).toBe(true);
  });

  it('sends a file over the size limit to _error at once, without reading it', async () => {
    watcher = make({ maxBytes: 1000 });
    const big = join(dir.path, 'huge.jpg');
    await writeFile(big, '');
    await truncate(big, 100 * 1024 * 1024 * 1024); // sparse: 100 GB on paper
    await watcher.poll();
    expect(calls).toHaveLength(0);
    expect(await readFile(join(dir.path, '_error', 'huge.jpg.reason.txt'), 'utf8')).toMatch(/^too_large: /);
    expect(await readdir(dir.path)).not.toContain('huge.jpg');
  });

  it('moves a file a stage rejected later from _processed to _error, with the reason', async () => {
    const pending: IntakeRejection[] = [];
    watcher = make({
      rejections: {
        drain: async (_feed, handle) => {
          for (const r of pending.splice(0)) await handle(r);
          return 0;
        },
      },
    });
    await writeFile(join(dir.path, 'late.jpg'), 'x');
    await quietPoll();
    expect(await readdir(join(dir.path, '_processed'))).toEqual(['late.jpg']);
    pending.push({
      photoId: 'ph_1',
      version: 1,
      filename: 'late.jpg',
      reason: 'decode_failed: corrupt scan data',
    });
    await watcher.poll();
    expect(await readdir(join(dir.path, '_processed'))).toEqual([]);
    expect(await readFile(join(dir.path, '_error', 'late.jpg.reason.txt'), 'utf8')).toMatch(
      /^decode_failed: .*\nphotoId: ph_1/,
    );
  });

  it('ignores files still being uploaded and hidden files', async () => {
    for (const name of ['b.jpg.part', 'c.tmp', 'd.filepart', '.e.jpg'])
      await writeFile(join(dir.path, name), 'x');
    await quietPoll();
    expect(calls).toHaveLength(0);
    expect(isIgnoredName('photo.JPG.PART')).toBe(true);
    expect(isIgnoredName('photo.jpg')).toBe(false);
  });

  it('moves rejects to _error with a reason file', async () => {
    next = async () => ({
      photoId: 'ph_2',
      status: 'rejected',
      duplicate: false,
      reason: 'unsupported_format: not an image',
    });
    await writeFile(join(dir.path, 'notes.jpg'), 'hello');
    await quietPoll();
    expect((await readdir(join(dir.path, '_error'))).sort()).toEqual(['notes.jpg', 'notes.jpg.reason.txt']);
    expect(await readFile(join(dir.path, '_error', 'notes.jpg.reason.txt'), 'utf8')).toContain(
      'unsupported_format: not an image',
    );
  });

  it('a resend of bytes already rejected ends rejected too: _error', async () => {
    next = async () => ({
      photoId: 'ph_2',
      status: 'rejected',
      duplicate: true,
      reason: 'empty_file: empty',
    });
    await writeFile(join(dir.path, 'again.jpg'), 'x');
    await quietPoll();
    expect(await readdir(join(dir.path, '_error'))).toContain('again.jpg');
  });

  it('leaves the file in place when the hand-off fails, and retries', async () => {
    next = async () => {
      throw new Error('S3 down');
    };
    await writeFile(join(dir.path, 'f.jpg'), 'x');
    await quietPoll();
    expect(await readdir(dir.path)).toContain('f.jpg');
    next = async () => ({ photoId: 'ph_3', status: 'received', duplicate: false });
    await quietPoll();
    expect(await readdir(join(dir.path, '_processed'))).toEqual(['f.jpg']);
  });

  it('never overwrites an earlier processed file of the same name', async () => {
    for (let i = 0; i < 2; i++) {
      await writeFile(join(dir.path, 'same.jpg'), `v${i}`);
      await quietPoll();
    }
    expect((await readdir(join(dir.path, '_processed'))).sort()).toEqual(['1-same.jpg', 'same.jpg']);
  });

  it('hands over a NewsML-G2 sidecar with its photo and moves both', async () => {
    await writeFile(join(dir.path, 'GYI001.jpg'), 'jpeg');
    await writeFile(join(dir.path, 'GYI001.XML'), '<newsItem/>');
    await quietPoll();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.source.sidecar?.toString()).toBe('<newsItem/>');
    expect((await readdir(join(dir.path, '_processed'))).sort()).toEqual(['GYI001.XML', 'GYI001.jpg']);
  });

  it('gives a late sidecar a moment, then takes the photo alone', async () => {
    watcher = make({ sidecarWaitMs: 1000 });
    await writeFile(join(dir.path, 'p.jpg'), 'jpeg');
    await quietPoll(); // quiet, but inside the sidecar wait
    expect(calls).toHaveLength(0);
    clock += 500;
    await writeFile(join(dir.path, 'p.xml'), '<newsItem/>');
    await watcher.poll(); // sidecar seen, not yet quiet
    expect(calls).toHaveLength(0);
    clock += DEFAULT_QUIET_MS;
    await watcher.poll();
    expect(calls[0]?.source.sidecar).toBeDefined();

    await writeFile(join(dir.path, 'q.jpg'), 'jpeg');
    await quietPoll();
    expect(calls).toHaveLength(1);
    clock += 1000;
    await watcher.poll();
    expect(calls[1]?.source).toEqual({ feed: 'hotfolder', filename: 'q.jpg', route: 'hot-folder' });
  });

  it('rejects both when the sidecar is bad, and sends orphan sidecars to _error', async () => {
    next = async () => ({
      photoId: 'rj_1',
      status: 'rejected',
      duplicate: false,
      reason: 'sidecar_xml_malformed: Malformed XML',
    });
    await writeFile(join(dir.path, 'x.jpg'), 'jpeg');
    await writeFile(join(dir.path, 'x.xml'), '<bad');
    await quietPoll();
    expect((await readdir(join(dir.path, '_error'))).sort()).toEqual([
      'x.jpg',
      'x.jpg.reason.txt',
      'x.xml',
      'x.xml.reason.txt',
    ]);

    await writeFile(join(dir.path, 'lonely.xml'), '<newsItem/>');
    await quietPoll();
    expect(await readdir(dir.path)).toContain('lonely.xml');
    clock += ORPHAN_SIDECAR_MS + 1;
    await watcher.poll();
    expect(await readFile(join(dir.path, '_error', 'lonely.xml.reason.txt'), 'utf8')).toMatch(
      /^orphan_sidecar/,
    );
  });

  it('deletes instead of moving when configured', async () => {
    watcher = make({ after: 'delete' });
    await writeFile(join(dir.path, 'gone.jpg'), 'jpeg');
    await utimes(join(dir.path, 'gone.jpg'), new Date(), new Date());
    await quietPoll();
    expect(await readdir(dir.path)).not.toContain('gone.jpg');
    expect(await readdir(join(dir.path, '_processed'))).toEqual([]);
  });
});
