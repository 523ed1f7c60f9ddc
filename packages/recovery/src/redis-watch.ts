import type { Redis } from 'ioredis';

export interface RedisWatchEvents {
  /** The state marker is gone: Redis lost its data (flushed, or restarted empty). */
  onLoss(): Promise<void>;
  /** Another Redis server answers now (a failover, or a restart): recent writes may be lost. */
  onNewPrimary(runId: string): Promise<void>;
  onError?(err: Error): void;
}

/**
 * Notices what makes a reconcile urgent, between the scheduled ones: Redis answering without the
 * state marker every Lightbox process writes at start-up (`markerKey`, the schema version), or a
 * different server answering (its `run_id` changed: Sentinel promoted a replica, or Redis restarted).
 */
export class RedisWatch {
  private timer?: NodeJS.Timeout;
  private runId?: string;
  private busy = false;

  constructor(
    private readonly redis: Redis,
    private readonly markerKey: string,
    private readonly events: RedisWatchEvents,
    private readonly intervalMs = 2_000,
  ) {}

  async start(): Promise<void> {
    this.runId = await this.currentRunId().catch(() => undefined);
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One look (the timer calls it; tests may too). */
  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const [runId, marked] = await Promise.all([this.currentRunId(), this.redis.exists(this.markerKey)]);
      if (marked === 0) await this.events.onLoss();
      if (this.runId !== undefined && runId !== this.runId) await this.events.onNewPrimary(runId);
      this.runId = runId;
    } catch (err) {
      this.events.onError?.(err as Error);
    } finally {
      this.busy = false;
    }
  }

  private async currentRunId(): Promise<string> {
    const info = await this.redis.info('server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? '';
  }
}
