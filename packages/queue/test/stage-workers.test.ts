import { RejectedInputError, STAGES } from '@lightbox/contracts';
import { eventually, randomPrefix, startLocalRedis, type TestRedis } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineQueues, startStageWorkers } from '../src/index.js';

describe('typed stage queues on real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startLocalRedis();
  });
  afterAll(async () => redis?.stop());

  async function harness(handlers: Parameters<typeof startStageWorkers>[0]['handlers']) {
    const prefix = randomPrefix('q');
    const queues = new PipelineQueues({ redisUrl: redis.url, prefix });
    const failures: { stage: string; message: string; final: boolean }[] = [];
    const workers = startStageWorkers({
      redisUrl: redis.url,
      prefix,
      handlers,
      concurrency: {},
      onFailed: (stage, _id, error, final) => failures.push({ stage, message: error.message, final }),
    });
    return {
      queues,
      failures,
      close: async () => {
        await workers.close(5_000);
        await queues.close();
      },
    };
  }

  it('delivers validated payloads to the handler of their stage', async () => {
    const seen: string[] = [];
    const h = await harness({ render: async ({ photoId }) => void seen.push(photoId) });
    await h.queues.add('render', { photoId: 'ph_1' });
    await eventually(async () => seen.length === 1);
    expect(seen).toEqual(['ph_1']);
    await h.close();
  });

  it('schedules a repeating job once per id, typed and with the stage options', async () => {
    const h = await harness({});
    await h.queues.every('archive', 'sweep', 3600_000, { sweep: 'undecided' });
    await h.queues.every('archive', 'sweep', 3600_000, { sweep: 'undecided' });
    const schedulers = await h.queues.queue('archive').getJobSchedulers();
    expect(schedulers.map((j) => j.key)).toEqual(['sweep']);
    expect(schedulers[0]?.template?.opts?.attempts).toBe(10);
    // @ts-expect-error — the compiler refuses a photo payload on the archive stage
    await expect(h.queues.every('archive', 'bad', 1000, { photoId: 'ph_1' })).rejects.toThrow();
    await h.close();
  });

  it('refuses a payload that does not fit the stage, at enqueue time', async () => {
    const h = await harness({});
    // @ts-expect-error — the compiler already refuses a story payload on the render stage
    await expect(h.queues.add('render', { storyId: 'st_1' })).rejects.toThrow();
    await h.close();
  });

  it('fails a malformed job at once, without retries', async () => {
    const h = await harness({ match: async () => {} });
    await h.queues.queue('match').add('match', { nonsense: true }, { attempts: 5 });
    await eventually(async () => h.failures.length === 1);
    expect(h.failures[0]).toMatchObject({ stage: 'match', final: true });
    expect(h.failures[0]?.message).toMatch(/Invalid match job payload/);
    await h.close();
  });

  it('does not retry rejected input', async () => {
    let calls = 0;
    const h = await harness({
      ingest: async () => {
        calls++;
        throw new RejectedInputError('corrupt_image', 'Image data is corrupt');
      },
    });
    await h.queues.add(
      'ingest',
      { photoId: 'ph_bad' },
      { attempts: 5, backoff: { type: 'fixed', delay: 10 } },
    );
    await eventually(async () => h.failures.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(1);
    expect(h.failures[0]).toMatchObject({ final: true, message: 'corrupt_image: Image data is corrupt' });
    await h.close();
  });

  it('retries other failures with backoff until they succeed', async () => {
    let calls = 0;
    const h = await harness({
      publish: async () => {
        calls++;
        if (calls < 3) throw new Error('S3 unavailable');
      },
    });
    await h.queues.add(
      'publish',
      { storyId: 'st_1' },
      { attempts: 5, backoff: { type: 'fixed', delay: 20 } },
    );
    await eventually(async () => calls === 3);
    await eventually(
      async () => (await h.queues.counts()).find((c) => c.name === 'publish')?.completed === 1,
    );
    expect(h.failures.map((f) => f.final)).toEqual([false, false]);
    await h.close();
  });

  it('keeps jobs that failed for good as dead letters until a retry succeeds', async () => {
    let healthy = false;
    const h = await harness({
      render: async ({ photoId }) => {
        if (photoId === 'ph_bad') throw new RejectedInputError('corrupt_image', 'truncated');
        if (!healthy) throw new Error('S3 is down');
      },
    });
    await h.queues.add('render', { photoId: 'ph_bad' }, { jobId: 'bad' });
    await h.queues.add(
      'render',
      { photoId: 'ph_ok' },
      { jobId: 'flaky', attempts: 2, backoff: { type: 'fixed', delay: 10 } },
    );
    await eventually(async () => (await h.queues.deadLetters.count()) === 2, 20_000);
    const { letters } = await h.queues.deadLetters.list();
    expect(letters.map((l) => [l.jobId, l.photoId, l.badInput, l.attempts]).sort()).toEqual([
      ['bad', 'ph_bad', true, 1],
      ['flaky', 'ph_ok', false, 2],
    ]);
    expect(letters.find((l) => l.jobId === 'flaky')?.error).toBe('S3 is down');
    healthy = true;
    await (await h.queues.queue('render').getJob('flaky'))?.retry('failed');
    await eventually(async () => (await h.queues.deadLetters.count()) === 1, 20_000);
    expect((await h.queues.deadLetters.list()).letters.map((l) => l.jobId)).toEqual(['bad']);
    await h.close();
  });

  it('reports counts for every stage; waiting includes prioritized jobs (KEDA scales on it)', async () => {
    const h = await harness({});
    await h.queues.add('ingest', { photoId: 'ph_waiting' });
    await h.queues.add('ingest', { photoId: 'ph_prioritized' }, { priority: 3 });
    const counts = await h.queues.counts();
    expect(counts.map((c) => c.name)).toEqual([...STAGES]);
    expect(counts[0]).toMatchObject({ waiting: 2, active: 0, paused: false });
    expect(await h.queues.isIdle()).toBe(false);
    await h.close();
  });

  it('counts delayed auto-close timers as idle, other delayed work as pending', async () => {
    const h = await harness({});
    await h.queues.add('close', { storyId: 'st_1' }, { delay: 3600_000 });
    expect(await h.queues.isIdle()).toBe(true);
    await h.queues.add('publish', { storyId: 'st_1' }, { delay: 3600_000 });
    expect(await h.queues.isIdle()).toBe(false);
    await h.close();
  });
});
