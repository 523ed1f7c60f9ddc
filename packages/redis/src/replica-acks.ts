import type { Redis } from 'ioredis';
import { createRedis, type RedisEndpoint } from './connection.js';

export interface ReplicaAckOptions {
  /** Replicas that must have a write before it counts as acknowledged; 0 turns waiting off. */
  replicas: number;
  /** How long to wait for them (Redis `WAIT <replicas> <timeout>`). */
  timeoutMs: number;
  /** A key this class writes before each `WAIT` (its own: no other writer needs it). */
  markerKey: string;
  /** How long the primary's replica count is trusted before it is asked again. */
  replicaCountTtlMs?: number;
  /** Told when replicas did not confirm in time, or the round failed (to log and count it). */
  onShortfall?: (result: ReplicaAckResult) => void;
}

export interface ReplicaAckResult {
  /** Replicas asked for (0 when waiting is off or the primary has no replica connected). */
  needed: number;
  /** Replicas that confirmed in time. */
  acked: number;
  /** Why the round could not be run (Redis unreachable mid-failover…). */
  error?: string;
}

/**
 * Waits until the writes made so far (by any connection of this Redis) have reached replicas:
 * Redis `WAIT`, which blocks its connection, so it runs on a connection of its own. `WAIT` counts
 * the writes of the connection it runs on, so each round first writes a marker: the replication
 * offset it waits for then covers every write made before the round started. Callers that come
 * while a round is under way join the next one (their writes may be after its marker), so many
 * concurrent uploads share a few rounds.
 *
 * When the primary has no replica connected it does not wait (`needed: 0`); when replicas do not
 * confirm in time, or Redis cannot be asked, it says so (`acked < needed`, `onShortfall`) and never
 * throws: Lightbox answers anyway, because the acceptance record in object storage is what makes an
 * accepted photo durable (docs/operations.md).
 */
export class ReplicaAcks {
  private round?: Promise<ReplicaAckResult>;
  private next?: Promise<ReplicaAckResult>;
  private replicaCount?: { value: number; at: number };

  private connection?: Redis;

  /** On `redis`, or on a connection of its own to `redis` (an endpoint) made on first use. */
  constructor(
    private readonly redis: Redis | { endpoint: RedisEndpoint },
    private readonly options: ReplicaAckOptions,
  ) {}

  /**
   * A `ReplicaAcks` on a connection of its own to the endpoint (`WAIT` blocks its connection), made
   * on the first wait: a process that never accepts uploads never connects.
   */
  static open(endpoint: RedisEndpoint, options: ReplicaAckOptions): ReplicaAcks {
    return new ReplicaAcks({ endpoint }, options);
  }

  close(): void {
    this.connection?.disconnect();
  }

  private get client(): Redis {
    if ('endpoint' in this.redis) {
      this.connection ??= createRedis(this.redis.endpoint, { connectionName: 'lightbox-replica-acks' });
      return this.connection;
    }
    return this.redis;
  }

  async wait(): Promise<ReplicaAckResult> {
    if (this.options.replicas <= 0) return { needed: 0, acked: 0 };
    if (!this.round) {
      const round = this.runRound()
        .catch((err: Error) => ({ needed: this.options.replicas, acked: 0, error: err.message }))
        .then((result) => {
          if (result.acked < result.needed) this.options.onShortfall?.(result);
          return result;
        })
        .finally(() => {
          if (this.round === round) this.round = undefined;
        });
      this.round = round;
      return round;
    }
    // The round under way may have written its marker before our writes: wait for the next one.
    this.next ??= this.round
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.wait();
      });
    return this.next;
  }

  private async runRound(): Promise<ReplicaAckResult> {
    const connected = await this.connectedReplicas();
    const needed = Math.min(this.options.replicas, connected);
    if (needed === 0) return { needed: 0, acked: 0 };
    const replies = await this.client
      .pipeline()
      .set(this.options.markerKey, String(Date.now()), 'PX', 60_000)
      .call('WAIT', String(needed), String(this.options.timeoutMs))
      .exec();
    const [, waitReply] = replies ?? [];
    if (!waitReply || waitReply[0]) throw waitReply?.[0] ?? new Error('WAIT got no reply');
    return { needed, acked: Number(waitReply[1]) };
  }

  private async connectedReplicas(): Promise<number> {
    const ttl = this.options.replicaCountTtlMs ?? 1_000;
    if (this.replicaCount && Date.now() - this.replicaCount.at < ttl) return this.replicaCount.value;
    const info = await this.client.info('replication');
    // Replicas still in their first sync (state=wait_bgsave, send_bulk) cannot confirm yet.
    const value = (info.match(/^slave\d+:.*state=online/gm) ?? []).length;
    this.replicaCount = { value, at: Date.now() };
    return value;
  }
}
