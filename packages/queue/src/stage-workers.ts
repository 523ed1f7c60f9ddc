import { type JobPayloads, jobPayloadSchemas, RejectedInputError, type StageName } from '@lightbox/contracts';
import { createRedis, type Redis } from '@lightbox/redis';
import { DelayedError, type Job, MetricsTime, type Telemetry, UnrecoverableError, Worker } from 'bullmq';
import { DeadLetters } from './dead-letters.js';
import { type QueueConnection, queueEndpoint } from './pipeline-queues.js';

export { DelayedError, UnrecoverableError } from 'bullmq';

export interface StageJobContext {
  jobId: string;
  attempt: number;
  /** Highest attempt number this job gets; the last failure is final. */
  maxAttempts: number;
  /**
   * Puts the job back to wait until `timestampMs` (not an attempt, not a failure) and ends this
   * run: call as `return context.delayUntil(t)`.
   */
  delayUntil(timestampMs: number): Promise<never>;
}

export type StageHandler<S extends StageName> = (
  payload: JobPayloads[S],
  context: StageJobContext,
) => Promise<void>;
export type StageHandlers = { [S in StageName]?: StageHandler<S> };

export interface StageWorkerEvents {
  onFailed?: (
    stage: StageName,
    jobId: string | undefined,
    error: Error,
    final: boolean,
    data?: Record<string, unknown>,
  ) => void;
  onError?: (stage: StageName, error: Error) => void;
  /** A job finished (completed or failed) after running for `ms`. */
  onFinished?: (stage: StageName, ms: number, outcome: 'completed' | 'failed') => void;
}

export type StartStageWorkersOptions = StageWorkerEvents & QueueConnection & StageWorkerSettings;

export interface StageWorkerSettings {
  prefix: string;
  handlers: StageHandlers;
  concurrency: Partial<Record<StageName, number>>;
  /** How long a job lock lives without renewal before the job counts as stalled. */
  lockDurationMs?: number;
  /** OpenTelemetry tracing of every job run (see `pipelineTelemetry`); off when undefined. */
  telemetry?: Telemetry;
}

export interface StageWorkers {
  stages: StageName[];
  /** Stops taking jobs and waits for active ones (up to `timeoutMs`), then force-closes. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Wraps a typed handler: validates the payload, and turns `RejectedInputError` into BullMQ's
 * `UnrecoverableError` so bad input fails at once instead of being retried.
 */
export function wrapHandler<S extends StageName>(stage: S, handler: StageHandler<S>) {
  return async (job: Job, token?: string): Promise<void> => {
    const parsed = jobPayloadSchemas[stage].safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`Invalid ${stage} job payload: ${parsed.error.message}`);
    }
    try {
      await handler(parsed.data as JobPayloads[S], {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        async delayUntil(timestampMs: number): Promise<never> {
          await job.moveToDelayed(timestampMs, token);
          throw new DelayedError(`${stage} job ${job.id} waits until ${new Date(timestampMs).toISOString()}`);
        },
      });
    } catch (err) {
      if (err instanceof RejectedInputError) throw new UnrecoverableError(`${err.code}: ${err.reason}`);
      throw err;
    }
  };
}

export function startStageWorkers(options: StartStageWorkersOptions): StageWorkers {
  const connection: Redis = createRedis(queueEndpoint(options), {
    blocking: true,
    connectionName: 'lightbox-worker',
  });
  const deadLetters = new DeadLetters(connection, options.prefix);
  const workers: Worker[] = [];
  const stages: StageName[] = [];
  for (const stage of Object.keys(options.handlers) as StageName[]) {
    const handler = options.handlers[stage] as StageHandler<typeof stage> | undefined;
    if (!handler) continue;
    const worker = new Worker(stage, wrapHandler(stage, handler), {
      connection,
      prefix: options.prefix,
      telemetry: options.telemetry,
      concurrency: options.concurrency[stage] ?? 1,
      // A worker that dies (SIGKILL, OOM, lost machine) holds its jobs only until the lock lapses:
      // they are found stalled within lockDuration + stalledInterval and run again elsewhere.
      lockDuration: options.lockDurationMs ?? 10_000,
      stalledInterval: Math.max(1000, Math.round((options.lockDurationMs ?? 10_000) / 2)),
      // Per-minute completed/failed counts for a week (the dashboard's "completed in the last hour").
      metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      // Stalling is the worker's fault, not the job's: allow several before giving up on a job.
      maxStalledCount: 5,
    });
    worker.on('failed', (job, error) => {
      if (error.name === 'DelayedError') return;
      const final =
        !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const data = job?.data as Record<string, unknown> | undefined;
      if (final && job?.id) {
        deadLetters
          .record({
            stage,
            jobId: job.id,
            photoId: typeof data?.photoId === 'string' ? data.photoId : undefined,
            storyId: typeof data?.storyId === 'string' ? data.storyId : undefined,
            error: error.message,
            attempts: job.attemptsMade,
            failedAt: new Date().toISOString(),
            badInput: error instanceof UnrecoverableError && !/^Invalid .* job payload/.test(error.message),
          })
          .catch((err: Error) => options.onError?.(stage, err));
      }
      options.onFailed?.(stage, job?.id, error, final, data);
      if (job?.processedOn)
        options.onFinished?.(stage, (job.finishedOn ?? Date.now()) - job.processedOn, 'failed');
    });
    // A dead-lettered job retried (dashboard, bull-board) that now succeeds leaves the list.
    worker.on('completed', (job) => {
      if (job.processedOn && job.finishedOn)
        options.onFinished?.(stage, job.finishedOn - job.processedOn, 'completed');
      void deadLetters.remove(stage, job.id ?? '').catch(() => undefined);
    });
    worker.on('error', (error) => options.onError?.(stage, error));
    workers.push(worker);
    stages.push(stage);
  }
  return {
    stages,
    async close(timeoutMs = 20_000) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      // Force-closing leaves active jobs' locks to expire, so another worker picks them up as stalled.
      if (timedOut) await Promise.all(workers.map((w) => w.close(true)));
      connection.disconnect();
    },
  };
}
