import type { ChildProcess } from 'node:child_process';
import { type Launcher, spawnTypeScript } from './node-process.js';

/** One Lightbox process to run: its TypeScript entry and environment. */
export interface ServiceSpec {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Runs it elsewhere, e.g. `['ip', 'netns', 'exec', host]` (the multi-host chaos run). */
  launcher?: Launcher;
}

export interface SupervisedProcess extends ServiceSpec {
  /** The running child (the latest one after restarts). */
  child?: ChildProcess;
  /** How often it was started again after exiting. */
  restarts: number;
  /** The tail of its output, when the supervisor captures it. */
  log: string;
}

export interface SupervisorOptions {
  /** `inherit` shows the services' output here; `ignore` drops it; `capture` keeps its tail in `log`. */
  output: 'inherit' | 'ignore' | 'capture';
  /** Each child in its own process group: Ctrl-C reaches only the supervisor, which stops them in order. */
  detached?: boolean;
  /** The wait before the n-th restart (default 250 ms doubling, at most 10 s). */
  restartDelayMs?: (restarts: number) => number;
  /** Told of every unexpected exit, with the wait before the restart. */
  onExit?: (svc: SupervisedProcess, why: string, restartInMs: number) => void;
  /** SIGTERM, then SIGKILL after this long (default 25 s: workers finish or hand back their jobs). */
  stopTimeoutMs?: number;
}

const LOG_TAIL = 20_000;
const backoff = (restarts: number) => Math.min(10_000, 250 * 2 ** Math.min(restarts, 6));

/**
 * Runs Lightbox's service processes on one machine and keeps them running: a process that exits
 * is started again after a growing delay, until the supervisor stops it. The one supervisor of
 * `lightbox start`, the benchmarks and the chaos drills.
 */
export class Supervisor {
  readonly services: SupervisedProcess[] = [];
  private restarting = true;
  private stopped = new WeakSet<SupervisedProcess>();

  constructor(private readonly options: SupervisorOptions) {}

  /** Adds a service and starts it. */
  start<T extends ServiceSpec>(spec: T): T & SupervisedProcess {
    const svc = Object.assign(spec, { restarts: 0, log: '' }) as T & SupervisedProcess;
    this.services.push(svc);
    this.launch(svc);
    return svc;
  }

  alive(svc: SupervisedProcess): boolean {
    return !!svc.child && svc.child.exitCode === null && svc.child.signalCode === null;
  }

  /**
   * Whether exited services are started again (on by default). Turning it back on starts at once
   * every service that died meanwhile.
   */
  setRestarting(on: boolean): void {
    this.restarting = on;
    if (on) for (const svc of this.services) if (!this.alive(svc) && !this.stopped.has(svc)) this.launch(svc);
  }

  /** Stops one service (SIGTERM, then SIGKILL) and forgets it. */
  async remove(svc: SupervisedProcess): Promise<void> {
    const i = this.services.indexOf(svc);
    if (i >= 0) this.services.splice(i, 1);
    await this.stop(svc);
  }

  /** Stops every service; none is restarted afterwards. */
  async stopAll(): Promise<void> {
    this.restarting = false;
    await Promise.all(this.services.map((svc) => this.stop(svc)));
  }

  private launch(svc: SupervisedProcess): void {
    const { output, detached = false } = this.options;
    const stdio = output === 'capture' ? 'pipe' : output;
    const child = spawnTypeScript(
      svc.entry,
      [],
      { env: svc.env, stdio: ['ignore', stdio, stdio], detached },
      svc.launcher,
    );
    if (output === 'capture') {
      const keep = (chunk: Buffer) => {
        svc.log = (svc.log + chunk.toString()).slice(-LOG_TAIL);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
    }
    svc.child = child;
    child.once('exit', (code, signal) => {
      if (svc.child !== child || this.stopped.has(svc) || !this.restarting) return;
      const delay = (this.options.restartDelayMs ?? backoff)(svc.restarts + 1);
      this.options.onExit?.(svc, String(signal ?? code), delay);
      setTimeout(() => {
        if (this.restarting && !this.stopped.has(svc) && svc.child === child) {
          svc.restarts += 1;
          this.launch(svc);
        }
      }, delay).unref();
    });
  }

  private stop(svc: SupervisedProcess): Promise<void> {
    this.stopped.add(svc);
    const child = svc.child;
    return new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 25_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
