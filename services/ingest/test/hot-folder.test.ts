import { appendFile, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntakeResult, IntakeSource } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { tempDir } from '@lightbox/test-infra';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HotFolderWatcher, isIgnoredName, ORPHAN_SIDECAR_MS } from '../src/index.js';

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

  beforeEach(async () => {
    dir = await tempDir('lb-hot-');
    calls = [];
    clock = 1_000_000;
    next = async () => ({ photoId: 'ph_1', status: 'received', duplicate: false });
    watcher = make();
    await watcher.prepare(); // no timer: the tests call poll() themselves
  });
  afterEach(async () => dir.remove());

  it('takes a file only once its size and mtime are stable, then moves it to _processed', async () => {
    await writeFile(join(dir.path, 'a.jpg'), 'part one');
    await watcher.poll();
    expect(calls).toHaveLength(0);
    await appendFile(join(dir.path, 'a.jpg'), ' and more');
    await watcher.poll();
    expect(calls).toHaveLength(0);
    await watcher.poll();
    expect(calls.map((c) => c.source)).toEqual([{ feed: 'hotfolder', filename: 'a.jpg' }]);
    expect(await readdir(join(dir.path, '_processed'))).toEqual(['a.jpg']);
    expect(await readdir(dir.path)).not.toContain('a.jpg');
  });

  it('ignores files still being uploaded and hidden files', async () => {
    for (const name of ['b.jpg.part', 'c.tmp', 'd.filepart', '.e.jpg'])
      await writeFile(join(dir.path, name), 'x');
    await watcher.poll();
    await watcher.poll();
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
    await watcher.poll();
    await watcher.poll();
    expect((await readdir(join(dir.path, '_error'))).sort()).toEqual(['notes.jpg', 'notes.jpg.reason.txt']);
    expect(await readFile(join(dir.path, '_error', 'notes.jpg.reason.txt'), 'utf8')).toContain(
      'unsupported_format: not an image',
    );
  });

  it('leaves the file in place when the hand-off fails, and retries', async () => {
    next = async () => {
      throw new Error('S3 down');
    };
    await writeFile(join(dir.path, 'f.jpg'), 'x');
    await watcher.poll();
    await watcher.poll();
    expect(await readdir(dir.path)).toContain('f.jpg');
    next = async () => ({ photoId: 'ph_3', status: 'received', duplicate: false });
    await watcher.poll();
    await watcher.poll();
    expect(await readdir(join(dir.path, '_processed'))).toEqual(['f.jpg']);
  });

  it('never overwrites an earlier processed file of the same name', async () => {
    for (let i = 0; i < 2; i++) {
      await writeFile(join(dir.path, 'same.jpg'), `v${i}`);
      await watcher.poll();
      await watcher.poll();
    }
    expect((await readdir(join(dir.path, '_processed'))).sort()).toEqual(['1-same.jpg', 'same.jpg']);
  });

  it('hands over a NewsML-G2 sidecar with its photo and moves both', async () => {
    await writeFile(join(dir.path, 'GYI001.jpg'), 'jpeg');
    await writeFile(join(dir.path, 'GYI001.XML'), '<newsItem/>');
    await watcher.poll();
    await watcher.poll();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.source.sidecar?.toString()).toBe('<newsItem/>');
    expect((await readdir(join(dir.path, '_processed'))).sort()).toEqual(['GYI001.XML', 'GYI001.jpg']);
  });

  it('gives a late sidecar a moment, then takes the photo alone', async () => {
    watcher = make({ sidecarWaitMs: 1000 });
    await writeFile(join(dir.path, 'p.jpg'), 'jpeg');
    await watcher.poll();
    await watcher.poll(); // stable, but inside the wait
    expect(calls).toHaveLength(0);
    clock += 500;
    await writeFile(join(dir.path, 'p.xml'), '<newsItem/>');
    await watcher.poll(); // sidecar seen, not yet stable
    expect(calls).toHaveLength(0);
    await watcher.poll();
    expect(calls[0]?.source.sidecar).toBeDefined();

    await writeFile(join(dir.path, 'q.jpg'), 'jpeg');
    await watcher.poll();
    await watcher.poll();
    clock += 1000;
    await watcher.poll();
    expect(calls[1]?.source).toEqual({ feed: 'hotfolder', filename: 'q.jpg' });
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
    await watcher.poll();
    await watcher.poll();
    expect((await readdir(join(dir.path, '_error'))).sort()).toEqual([
      'x.jpg',
      'x.jpg.reason.txt',
      'x.xml',
      'x.xml.reason.txt',
    ]);

    await writeFile(join(dir.path, 'lonely.xml'), '<newsItem/>');
    await watcher.poll();
    await watcher.poll();
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
    await watcher.poll();
    await watcher.poll();
    expect(await readdir(dir.path)).not.toContain('gone.jpg');
    expect(await readdir(join(dir.path, '_processed'))).toEqual([]);
  });
});
