import {
  type JobPayloads,
  jobPayloadSchemas,
  STAGES,
  type StageName,
  stageIsIdle,
} from '@lightbox/contracts';
import { createRedis, type Redis, type RedisEndpoint } from '@lightbox/redis';
import { type JobsOptions, Queue, type Telemetry } from 'bullmq';
import { DeadLetters } from './dead-letters.js';
import { jobOptions } from './stage-options.js';

export interface QueueCounts {
  name: StageName;
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
  paused: boolean;
}

/** Where the queues' Redis is: `redis` (a URL or a Sentinel group, from config), or `redisUrl`. */
export type QueueConnection =
  | { redis: RedisEndpoint; redisUrl?: never }
  | { redisUrl: string; redis?: never };

/** The endpoint of a `QueueConnection`. */
export const queueEndpoint = (c: QueueConnection): RedisEndpoint => c.redis ?? (c.redisUrl as string);

export type PipelineQueuesOptions = QueueConnection & {
  /** BullMQ key prefix. Use a hash tag (e.g. `{lightbox}`) for Redis Cluster. */
  prefix: string;
  /** OpenTelemetry tracing of every add (see `pipelineTelemetry`); off when undefined. */
  telemetry?: Telemetry;
};

/** BullMQ's rule: custom job ids may not contain ':' or be plain integers. */
export function jobIdFor(...parts: string[]): string {
  return parts.join('-').replace(/:/g, '_');
}

/**
 * The producer side of every stage queue (one per stage of contracts' `PIPELINE`, with its job options). `add` is typed by stage name, so a payload that does not
 * fit the stage is a compile error, and it is validated again at run time.
 */
export class PipelineQueues {
  private readonly connection: Redis;
  private readonly queues: Map<StageName, Queue>;
  /** Jobs that failed for good, kept until retried successfully or discarded. */
  readonly deadLetters: DeadLetters;

  constructor(options: PipelineQueuesOptions) {
    this.connection = createRedis(queueEndpoint(options), { connectionName: 'lightbox-producer' });
    this.deadLetters = new DeadLetters(this.connection, options.prefix);
    this.queues = new Map(
      STAGES.map((name) => [
        name,
        new Queue(name, {
          connection: this.connection,
          prefix: options.prefix,
          telemetry: options.telemetry,
        }),
      ]),
    );
  }

  queue(stage: StageName): Queue {
    const q = this.queues.get(stage);
    if (!q) throw new Error(`No queue for stage ${stage}`);
    return q;
  }

  async add<S extends StageName>(
    stage: S,
    payload: JobPayloads[S],
    options: JobsOptions = {},
  ): Promise<void> {
    const data = jobPayloadSchemas[stage].parse(payload);
    await this.queue(stage).add(stage, data, jobOptions(stage, options));
  }

  /** Adds many jobs to one stage in one round trip. */
  async addBulk<S extends StageName>(
    stage: S,
    jobs: { payload: JobPayloads[S]; options?: JobsOptions }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(stage).addBulk(
      jobs.map((j) => ({
        name: stage,
        data: jobPayloadSchemas[stage].parse(j.payload),
        opts: jobOptions(stage, j.options),
      })),
    );
  }

  /**
   * A job added every `everyMs` (BullMQ job scheduler, one per id whatever the number of callers),
   * typed and validated like `add`, with the stage's job options.
   */
  async every<S extends StageName>(stage: S, schedulerId: string, everyMs: number, payload: JobPayloads[S]) {
    await this.queue(stage).upsertJobScheduler(
      schedulerId,
      { every: everyMs },
      { name: stage, data: jobPayloadSchemas[stage].parse(payload), opts: jobOptions(stage) },
    );
  }

  async counts(): Promise<QueueCounts[]> {
    return Promise.all(
      STAGES.map(async (name) => {
        const q = this.queue(name);
        const [c, paused] = await Promise.all([
          q.getJobCounts(
            'waiting',
            'active',
            'completed',
            'failed',
            'delayed',
            'prioritized',
            'waiting-children',
          ),
          q.isPaused(),
        ]);
        return {
          name,
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
          active: c.active ?? 0,
          completed: c.completed ?? 0,
          failed: c.failed ?? 0,
          delayed: c.delayed ?? 0,
          paused,
        };
      }),
    );
  }

  /** True when no stage has waiting, active or delayed work (timers such as auto-close aside). */
  async isIdle(): Promise<boolean> {
    return (await this.counts()).every(stageIsIdle);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
