/**
 * Runs `poll` now and then `intervalMs` after each pass ends (never two passes at once), logging
 * a failed pass and carrying on. `stop()` waits for the pass in flight; `stopped` lets a long pass
 * end early.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  stopped = false;

  constructor(
    private readonly poll: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  start(): void {
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((err) => this.onError(err as Error))
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
