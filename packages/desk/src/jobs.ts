import type { AuditLog } from '@lightbox/catalog';
import { STAGES, type StageName } from '@lightbox/contracts';
import type { DeadLetter, PipelineQueues } from '@lightbox/queue';
import { judgeJobAction } from './job-rules.js';
import type { Actor } from './schemas/common.js';
import type { JobAction, JobActionResult, StageFailures } from './schemas/jobs.js';

/**
 * Runs an editor's or admin's retry/discard on a stage job by `judgeJobAction`, and writes every
 * attempt, done or refused, to the audit log.
 *
 * The state is read, then acted on. A concurrent change in between cannot widen what a caller may
 * do: an editor's discard removes a job that was failed when checked (which was allowed), and BullMQ
 * itself refuses to retry a job that is no longer failed or to remove one a worker holds; both
 * come back as 409.
 */
export class JobActions {
  constructor(
    private readonly queues: PipelineQueues,
    private readonly audit: AuditLog,
  ) {}

  async run(stage: StageName, jobId: string, action: JobAction, by: Actor): Promise<JobActionResult> {
    const job = await this.queues.queue(stage).getJob(jobId);
    const state = job ? await job.getState() : 'gone';
    const letter = await this.queues.deadLetters.get(stage, jobId);
    const data = (job?.data ?? {}) as { photoId?: unknown; storyId?: unknown };
    const subject = {
      photoId: typeof data.photoId === 'string' ? data.photoId : letter?.photoId,
      storyId: typeof data.storyId === 'string' ? data.storyId : letter?.storyId,
    };
    const verdict = judgeJobAction({ role: by.role, action, state, deadLetter: !!letter, jobId });
    const record = (suffix: string, detail: string) =>
      this.audit.record({ actor: by.name, action: `job.${action}${suffix}`, ...subject, detail });
    if (!verdict.ok) {
      if (verdict.status === 409) await record('.refused', `${stage} job ${jobId}: ${verdict.message}`);
      return { status: verdict.status, message: verdict.message };
    }
    try {
      if (verdict.effect === 'retry-failed') await job?.retry('failed');
      else if (verdict.effect === 'retry-completed') await job?.retry('completed');
      else if (verdict.effect === 'remove-job') await job?.remove();
      if (action === 'discard') await this.queues.deadLetters.remove(stage, jobId);
    } catch (err) {
      const now = job ? await job.getState().catch(() => 'gone') : 'gone';
      const message = `Job ${jobId} changed meanwhile (${now}): ${(err as Error).message}`;
      await record('.refused', `${stage} job ${jobId}: ${message}`);
      return { status: 409, message };
    }
    const what =
      verdict.effect === 'remove-dead-letter' ? `${stage} dead letter ${jobId}` : `${stage} job ${jobId}`;
    await record('', state === 'failed' || state === 'gone' ? what : `${what} (was ${state})`);
    return {
      status: 200,
      message: action === 'retry' ? `Job ${jobId} queued again.` : `Job ${jobId} discarded.`,
    };
  }
}

/** Failed jobs per stage (the newest 50 each) and whether the stage is paused. */
export async function stageFailures(queues: PipelineQueues): Promise<StageFailures[]> {
  return Promise.all(
    STAGES.map(async (name) => {
      const q = queues.queue(name);
      const [failed, paused, jobs] = await Promise.all([
        q.getFailedCount(),
        q.isPaused(),
        q.getFailed(0, 49),
      ]);
      return {
        name,
        paused,
        failed,
        jobs: jobs.map((j) => ({
          id: j.id ?? '',
          stage: name,
          photoId: typeof j.data?.photoId === 'string' ? j.data.photoId : undefined,
          storyId: typeof j.data?.storyId === 'string' ? j.data.storyId : undefined,
          reason: j.failedReason ?? '',
          attempts: j.attemptsMade,
          maxAttempts: j.opts.attempts ?? 1,
          failedAt: j.finishedOn,
        })),
      };
    }),
  );
}

export interface Failures {
  stages: StageFailures[];
  dead: { total: number; letters: DeadLetter[] };
}

/** Pauses or resumes a stage, or retries all its failed jobs; audited. */
export async function runQueueAction(
  queues: PipelineQueues,
  audit: AuditLog,
  stage: StageName,
  action: 'pause' | 'resume' | 'retry-all',
  by: Actor,
): Promise<void> {
  const q = queues.queue(stage);
  if (action === 'pause') await q.pause();
  else if (action === 'resume') await q.resume();
  else await q.retryJobs({ state: 'failed', count: 1000 });
  await audit.record({ actor: by.name, action: `queue.${action}`, detail: stage });
}
