import { createRedis } from '@lightbox/redis';
import { eventually } from '@lightbox/test-infra';
import { type Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const EDITOR = 'editor-token-jobs';
const ADMIN = 'admin-token-jobs';

/**
 * Issue 12, finding 3: editors could discard any job (a waiting ingest job, leaving the photo
 * `received` forever; a story's auto-close timer), which also got round bull-board being read-only
 * for editors; retrying a job that had not failed gave 500.
 */
describe('job actions by rule', () => {
  let api: TestApi;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const act = (token: string, stage: string, jobId: string, action: string) =>
    api.app.inject({
      method: 'POST',
      url: `/dashboard/actions/jobs/${stage}/${jobId}/${action}`,
      headers: as(token),
    });
  const state = async (stage: 'ingest' | 'render' | 'close', jobId: string) =>
    (await api.queues.queue(stage).getJob(jobId))?.getState() ?? 'gone';

  /** A render job that really failed (a worker threw on it). */
  async function failedRenderJob(photoId: string): Promise<string> {
    const jobId = `${photoId}-render`;
    await api.queues.add('render', { photoId }, { jobId, attempts: 1 });
    await eventually(async () => (await state('render', jobId)) === 'failed');
    return jobId;
  }

  let worker: Worker;
  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_EDITOR_TOKENS: `alice:${EDITOR}`,
      LIGHTBOX_ADMIN_TOKENS: `root:${ADMIN}`,
    });
    worker = new Worker(
      'render',
      async (job: Job) => {
        throw new Error(`render broke on ${job.data.photoId}`);
      },
      { connection: createRedis(api.redisUrl, { blocking: true }), prefix: api.config.redisPrefix },
    );
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('editors cannot discard or retry a waiting job: 409 with the reason, the job stays', async () => {
    await api.queues.add('ingest', { photoId: 'ph_waiting' }, { jobId: 'ph_waiting-v1' });
    const discard = await act(EDITOR, 'ingest', 'ph_waiting-v1', 'discard');
    expect(discard.statusCode).toBe(409);
    expect(discard.body).toMatch(/waiting/);
    expect(discard.body).toMatch(/only failed jobs/i);
    const retry = await act(EDITOR, 'ingest', 'ph_waiting-v1', 'retry');
    expect(retry.statusCode).toBe(409);
    expect(await state('ingest', 'ph_waiting-v1')).toBe('waiting');
  });

  it('editors cannot remove a story’s auto-close timer (a delayed job)', async () => {
    await api.queues.add('close', { storyId: 'st_timer' }, { jobId: 'close-st_timer', delay: 3_600_000 });
    expect((await act(EDITOR, 'close', 'close-st_timer', 'discard')).statusCode).toBe(409);
    expect(await state('close', 'close-st_timer')).toBe('delayed');
  });

  it('retrying a job that has not failed is a 409, never a 500, for admins too', async () => {
    await api.queues.add('ingest', { photoId: 'ph_admin' }, { jobId: 'ph_admin-v1' });
    const res = await act(ADMIN, 'ingest', 'ph_admin-v1', 'retry');
    expect(res.statusCode).toBe(409);
    expect(res.body).toMatch(/waiting/);
  });

  it('editors retry and discard failed jobs, and each action is audited', async () => {
    const retried = await failedRenderJob('ph_fail1');
    const retry = await act(EDITOR, 'render', retried, 'retry');
    expect(retry.statusCode).toBe(200);
    expect(retry.body).toMatch(/queued again/);
    // It runs (and fails) again: the worker is still broken.
    await eventually(
      async () => (await api.queues.queue('render').getJob(retried))?.attemptsMade === 2 || undefined,
    );

    const discarded = await failedRenderJob('ph_fail2');
    await api.queues.deadLetters.record({
      stage: 'render',
      jobId: discarded,
      photoId: 'ph_fail2',
      error: 'render broke',
      attempts: 1,
      failedAt: new Date().toISOString(),
      badInput: false,
    });
    expect((await act(EDITOR, 'render', discarded, 'discard')).statusCode).toBe(200);
    expect(await state('render', discarded)).toBe('gone');
    expect((await api.queues.deadLetters.list()).letters.some((d) => d.jobId === discarded)).toBe(false);

    const trail = await api.audit.of('photo', 'ph_fail1');
    expect(trail).toContainEqual(expect.objectContaining({ actor: 'alice', action: 'job.retry' }));
    expect(await api.audit.of('photo', 'ph_fail2')).toContainEqual(
      expect.objectContaining({ actor: 'alice', action: 'job.discard' }),
    );
  });

  it('refused attempts are audited too', async () => {
    await api.queues.add('ingest', { photoId: 'ph_refused' }, { jobId: 'ph_refused-v1' });
    await act(EDITOR, 'ingest', 'ph_refused-v1', 'discard');
    expect(await api.audit.of('photo', 'ph_refused')).toContainEqual(
      expect.objectContaining({
        actor: 'alice',
        action: 'job.discard.refused',
        detail: expect.stringMatching(/waiting/),
      }),
    );
  });

  it('editors discard a dead letter whose job is gone; retrying it explains why it cannot', async () => {
    await api.queues.deadLetters.record({
      stage: 'ingest',
      jobId: 'ph_old-v1',
      photoId: 'ph_old',
      error: 'S3 down',
      attempts: 8,
      failedAt: new Date().toISOString(),
      badInput: false,
    });
    const retry = await act(EDITOR, 'ingest', 'ph_old-v1', 'retry');
    expect(retry.statusCode).toBe(409);
    expect(retry.body).toMatch(/no longer in the queue/);
    expect((await act(EDITOR, 'ingest', 'ph_old-v1', 'discard')).statusCode).toBe(200);
    expect((await api.queues.deadLetters.list()).letters.some((d) => d.jobId === 'ph_old-v1')).toBe(false);
    expect((await act(EDITOR, 'ingest', 'ph_nothing-v1', 'discard')).statusCode).toBe(404);
  });

  it('admins keep full control: they may discard a waiting or delayed job (audited)', async () => {
    await api.queues.add('close', { storyId: 'st_admin' }, { jobId: 'close-st_admin', delay: 3_600_000 });
    expect((await act(ADMIN, 'close', 'close-st_admin', 'discard')).statusCode).toBe(200);
    expect(await state('close', 'close-st_admin')).toBe('gone');
    expect(await api.audit.of('story', 'st_admin')).toContainEqual(
      expect.objectContaining({ actor: 'root', action: 'job.discard' }),
    );
  });

  it('bull-board stays read-only for editors; admins can act there', async () => {
    await api.queues.add('close', { storyId: 'st_board' }, { jobId: 'close-st_board', delay: 3_600_000 });
    const base = '/admin/queues/api/queues/close/close-st_board';
    const read = await api.app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: as(EDITOR),
    });
    expect(read.statusCode).toBe(200);
    for (const [method, url] of [
      ['PUT', `${base}/promote`],
      ['PUT', `${base}/clean`],
      ['PUT', '/admin/queues/api/queues/close/clean/delayed'],
      ['PUT', '/admin/queues/api/queues/close/pause'],
    ] as const) {
      const res = await api.app.inject({ method, url, headers: as(EDITOR) });
      expect([url, res.statusCode]).toEqual([url, 403]);
    }
    expect(await state('close', 'close-st_board')).toBe('delayed');
    const promoted = await api.app.inject({ method: 'PUT', url: `${base}/promote`, headers: as(ADMIN) });
    expect(promoted.statusCode).toBe(204);
    expect(await state('close', 'close-st_board')).not.toBe('delayed');
  });
});
