import type { Redis } from 'ioredis';
import type { ActivityEvent } from './events.js';
import { activityKeys } from './keys.js';

type Listener = (event: ActivityEvent) => void;

/**
 * One Redis subscription per process, fanned out to any number of listeners (SSE clients).
 * Takes a connection it owns (subscriber mode): pass `redis.duplicate()`.
 */
export class ActivitySubscriber {
  private readonly listeners = new Set<Listener>();
  private started?: Promise<void>;

  constructor(
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {}

  /** Adds a listener; returns the function that removes it. */
  async listen(listener: Listener): Promise<() => void> {
    this.started ??= this.start();
    await this.started;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async start(): Promise<void> {
    const channel = activityKeys(this.prefix).channel;
    this.subscriber.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      let event: ActivityEvent;
      try {
        event = JSON.parse(message) as ActivityEvent;
      } catch {
        return;
      }
      for (const l of this.listeners) l(event);
    });
    await this.subscriber.subscribe(channel);
  }

  get size(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}
