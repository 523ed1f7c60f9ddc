/** Environment variable through which `lightbox start` tells its services the supervisor's pid. */
export const SUPERVISOR_PID_ENV = 'LIGHTBOX_SUPERVISOR_PID';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. A second signal exits at once. A process
 * started by `lightbox start` also stops gracefully when its supervisor disappears (so a killed
 * supervisor leaves no orphans). Returns a function that removes the listeners.
 */
export function closeOnSignals(
  stop: () => Promise<void>,
  { log = console.error, exit = (code: number) => process.exit(code) } = {},
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    log(`${signal}: shutting down gracefully`);
    stop().then(
      () => exit(0),
      (err) => {
        log(`shutdown failed: ${(err as Error).message}`);
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const supervisor = Number(process.env[SUPERVISOR_PID_ENV]);
  const watchdog =
    Number.isInteger(supervisor) && supervisor > 0
      ? setInterval(() => {
          if (!alive(supervisor)) onSignal('SIGTERM');
        }, 1000).unref()
      : undefined;
  return () => {
    clearInterval(watchdog);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
