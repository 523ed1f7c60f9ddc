import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive, Supervisor } from '../src/index.js';

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Supervisor', () => {
  let dir: string;
  let forever: string;
  let crash: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lightbox-supervisor-'));
    forever = join(dir, 'forever.ts');
    crash = join(dir, 'crash.ts');
    await writeFile(
      forever,
      "console.log('up ' + process.env.WHO);\nprocess.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\n",
    );
    await writeFile(crash, "console.log('crashing');\nprocess.exit(3);\n");
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs services, restarts one that exits, and stops them all (no process left)', async () => {
    const exits: string[] = [];
    const supervisor = new Supervisor({
      output: 'capture',
      restartDelayMs: () => 100,
      onExit: (svc, why) => exits.push(`${svc.name}:${why}`),
    });
    const steady = supervisor.start({
      name: 'steady',
      entry: forever,
      env: { ...process.env, WHO: 'steady' },
    });
    const flaky = supervisor.start({ name: 'flaky', entry: crash, env: process.env });
    await until(() => flaky.restarts >= 2);
    expect(exits.slice(0, 2)).toEqual(['flaky:3', 'flaky:3']);
    await until(() => steady.log.includes('up steady'));
    const pid = steady.child?.pid as number;
    steady.child?.kill('SIGKILL');
    await until(() => steady.restarts === 1 && supervisor.alive(steady));
    expect(steady.child?.pid).not.toBe(pid);
    await supervisor.stopAll();
    expect(supervisor.services.every((s) => !supervisor.alive(s))).toBe(true);
    expect(processAlive(steady.child?.pid as number)).toBe(false);
  }, 30_000);

  it('holds restarts while told to, and starts what died meanwhile when told again', async () => {
    const supervisor = new Supervisor({ output: 'ignore', restartDelayMs: () => 50 });
    const svc = supervisor.start({ name: 'one', entry: forever, env: process.env });
    await until(() => supervisor.alive(svc));
    supervisor.setRestarting(false);
    svc.child?.kill('SIGKILL');
    await until(() => !supervisor.alive(svc));
    await new Promise((r) => setTimeout(r, 300));
    expect(supervisor.alive(svc)).toBe(false);
    supervisor.setRestarting(true);
    expect(supervisor.alive(svc)).toBe(true);
    await supervisor.remove(svc);
    expect(supervisor.services).toEqual([]);
    expect(supervisor.alive(svc)).toBe(false);
  }, 30_000);
});
