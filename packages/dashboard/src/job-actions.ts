import type { AuditLog } from '@lightbox/catalog';
import type { StageName } from '@lightbox/contracts';
import type { PipelineQueues } from '@lightbox/queue';

export type JobAction = 'retry' | 'discard';

/** A BullMQ job state, or `gone` when the queue no longer holds the job. */
export type JobState = string;

export type JobActionVerdict =
  | { ok: true; effect: 'retry-failed' | 'retry-completed' | 'remove-job' | 'remove-dead-letter' }
  | { ok: false; status: 404 | 409; message: string };

/**
 * Who may do what to a job (pure). Editors may retry or discard only failed jobs and dead letters;
 * admins may also retry a completed job and discard a job in any state but running. A job that is
 * waiting, delayed or running has nothing to retry, for anyone.
 */
export function judgeJobAction(input: {
  role: 'editor' | 'admin';
  action: JobAction;
  state: JobState;
  deadLetter: boolean;
  jobId: string;
}): JobActionVerdict {
  const { role, action, state, deadLetter, jobId } = input;
  const refuse = (message: string): JobActionVerdict => ({ ok: false, status: 409, message });
  if (state === 'gone') {
    if (!deadLetter) return { ok: false, status: 404, message: `Job ${jobId} is gone.` };
    return action === 'discard'
      ? { ok: true, effect: 'remove-dead-letter' }
      : refuse(
          `Job ${jobId} is no longer in the queue (failed jobs are kept 7 days), so it cannot run again; discard its dead letter and send the photo again.`,
        );
  }
  if (state === 'failed') return { ok: true, effect: action === 'retry' ? 'retry-failed' : 'remove-job' };
  if (state === 'active')
    return refuse(`Job ${jobId} is running: wait until it completes or fails, then act on it.`);
  if (action === 'retry') {
    if (state === 'completed' && role === 'admin') return { ok: true, effect: 'retry-completed' };
    return refuse(
      state === 'completed'
        ? `Job ${jobId} completed: only failed jobs can be retried (an admin can re-run a completed one).`
        : `Job ${jobId} is ${state}: it will run by itself; only failed jobs can be retried.`,
    );
  }
  if (role === 'admin') return { ok: true, effect: 'remove-job' };
  return refuse(
    `Job ${jobId} is ${state}: editors may discard only failed jobs and dead letters (an admin can discard it).`,
  );
}

export interface JobActionResult {
  status: 200 | 404 | 409;
  message: string;
}

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

  async run(
    stage: StageName,
    jobId: string,
    action: JobAction,
    by: { name: string; role: 'editor' | 'admin' },
  ): Promise<JobActionResult> {
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
