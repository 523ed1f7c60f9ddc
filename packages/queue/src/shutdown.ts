/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. A second signal exits at once.
 * Returns a function that removes the listeners.
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
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
