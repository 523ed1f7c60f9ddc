/**
 * A pool of pipeline children (pipeline-child.ts), each watched for crashes and hangs: a child that
 * dies or stays silent for HANG_MS is replaced and its input recorded as such.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TSX_LOADER_URL } from '@lightbox/embedded';

const HANG_MS = 30_000;

interface Slot {
  child: ChildProcess;
  busy?: { id: number; resolve: (r: Result) => void; timer: NodeJS.Timeout };
}
export interface Result {
  outcome: 'processed' | 'rejected' | 'unexpected' | 'crash' | 'hang';
  reason?: string;
  rssMb: number;
}
const CHILD = fileURLToPath(new URL('./pipeline-child.ts', import.meta.url));

function spawnSlot(onRss: (mb: number) => void): Promise<Slot> {
  return new Promise((resolve) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', TSX_LOADER_URL],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      // As `lightbox start` runs workers: capped glibc arenas (see docs/imaging.md).
      env: { ...process.env, MALLOC_ARENA_MAX: '2' },
    });
    const slot: Slot = { child };
    child.on(
      'message',
      (m: { ready?: boolean; id?: number; outcome?: Result['outcome']; reason?: string; rssMb?: number }) => {
        if (m.ready) return resolve(slot);
        if (slot.busy && m.id === slot.busy.id) {
          const { resolve: done, timer } = slot.busy;
          clearTimeout(timer);
          slot.busy = undefined;
          onRss(m.rssMb ?? 0);
          done({ outcome: m.outcome as Result['outcome'], reason: m.reason, rssMb: m.rssMb ?? 0 });
        }
      },
    );
    child.on('exit', () => {
      if (slot.busy) {
        const { resolve: done, timer } = slot.busy;
        clearTimeout(timer);
        slot.busy = undefined;
        done({ outcome: 'crash', reason: `child exited (${child.signalCode ?? child.exitCode})`, rssMb: 0 });
      }
    });
  });
}

/** Runs every input through `parallel` children; the results, and the children's peak RSS (MB). */
export async function runAll(
  inputs: { name: string; bytes: Buffer }[],
  parallel: number,
  say: (line: string) => void,
): Promise<{ results: (Result & { name: string })[]; peakRssMb: number }> {
  let peakRssMb = 0;
  const onRss = (mb: number) => {
    peakRssMb = Math.max(peakRssMb, mb);
  };
  const slots = await Promise.all(Array.from({ length: parallel }, () => spawnSlot(onRss)));
  const results: (Result & { name: string })[] = [];
  let next = 0;
  let id = 0;
  await Promise.all(
    slots.map(async (_, s) => {
      while (next < inputs.length) {
        const input = inputs[next++] as { name: string; bytes: Buffer };
        let slot = slots[s] as Slot;
        if (slot.child.exitCode !== null || slot.child.signalCode !== null) {
          slot = await spawnSlot(onRss);
          slots[s] = slot;
        }
        const result = await new Promise<Result>((resolve) => {
          const current = ++id;
          const timer = setTimeout(() => {
            slot.busy = undefined;
            slot.child.kill('SIGKILL');
            resolve({ outcome: 'hang', reason: `no answer within ${HANG_MS / 1000} s`, rssMb: 0 });
          }, HANG_MS);
          slot.busy = { id: current, resolve, timer };
          slot.child.send({ id: current, bytes: input.bytes.toString('base64') });
        });
        results.push({ ...result, name: input.name });
        if (results.length % 250 === 0) say(`  ${results.length}/${inputs.length}`);
      }
    }),
  );
  for (const s of slots) s.child.kill('SIGKILL');
  return { results, peakRssMb };
}
