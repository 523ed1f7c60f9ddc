import type { JobAction } from './schemas/jobs.js';

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
