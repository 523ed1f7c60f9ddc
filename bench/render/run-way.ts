/** Runs one way of rendering (way.ts) in a child pinned to the first `cores` cores. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@lightbox/test-infra';

export interface WayResult {
  way: string;
  photos: number;
  seconds: number;
  pps: number;
  peakRssMb: number;
  /** CPU time (user + system) per photo of the rendering process over the timed photos. */
  cpuMsPerPhoto: number;
}

export function runWay(
  way: string,
  cores: number,
  photos: number,
  inputsFile: string,
  convert: string | undefined,
): Promise<WayResult> {
  const cpus = Array.from({ length: cores }, (_, i) => i).join(',');
  const concurrency = 2 * cores; // two photos in flight per core
  // As Lightbox workers run (lightbox start and the image set it): glibc arenas capped, so libvips
  // threads do not fragment memory. Every way gets the same environment.
  const env = {
    ...process.env,
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    UV_THREADPOOL_SIZE: String(Math.max(4, concurrency)),
    ...(convert ? { LIGHTBOX_BENCH_CONVERT: convert } : {}),
  };
  const args = [
    '-c',
    cpus,
    process.execPath,
    '--import',
    import.meta.resolve('tsx'),
    join(REPO_ROOT, 'bench/render/way.ts'),
    way,
    String(photos),
    String(concurrency),
    inputsFile,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(new Error(`${way} on ${cores} core(s) failed (${code}):\n${err.slice(-2000)}`));
      resolve(JSON.parse(line) as WayResult);
    });
  });
}
