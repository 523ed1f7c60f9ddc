import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  healthProblems,
  html,
  judgeJobAction,
  raw,
  type StageCard,
  safeNext,
} from '../src/index.js';
import { feedRow } from '../src/views/pages.js';

const stage = (name: string, over: Partial<StageCard> = {}): StageCard => ({
  name,
  waiting: 0,
  active: 0,
  delayed: 0,
  failed: 0,
  completedLastHour: 0,
  paused: false,
  workers: 1,
  ...over,
});
const quiet = Array.from({ length: 60 }, () => ({ received: 0, published: 10, failed: 0 }));

describe('healthProblems', () => {
  it('is quiet when all is well', () => {
    expect(healthProblems({ stages: [stage('render')], redis: true, s3: true, perMinute: quiet })).toEqual(
      [],
    );
  });
  it('reports waiting work without workers, paused stages with work, back ends down', () => {
    const problems = healthProblems({
      stages: [
        stage('render', { waiting: 4, workers: 0 }),
        stage('match', { paused: true, waiting: 2 }),
        stage('close', { delayed: 9, workers: 0 }),
      ],
      redis: false,
      s3: false,
      perMinute: quiet,
    });
    expect(problems).toEqual([
      'Redis is unreachable: nothing moves until it is back',
      'Object storage (S3) is unreachable: photos cannot be stored or published',
      'render has 4 waiting but no worker is running',
      'match is paused with 2 waiting',
    ]);
  });
  it('names every feed with an open incident: silent, or rejecting', () => {
    const problems = healthProblems({
      stages: [],
      redis: true,
      s3: true,
      perMinute: quiet,
      feeds: [
        {
          feed: 'ap',
          openIncidents: [
            { kind: 'silence', reason: 'ap: no arrival for 45 min (last 2025-01-06T09:00:00.000Z)' },
          ],
        },
        {
          feed: 'dpa',
          openIncidents: [{ kind: 'rejections', reason: 'dpa: 6 of 12 transmissions rejected' }],
        },
        { feed: 'afp', openIncidents: [] },
      ],
    });
    expect(problems).toEqual([
      'Feed ap is silent: no arrival for 45 min (last 2025-01-06T09:00:00.000Z)',
      'Feed dpa is rejecting: 6 of 12 transmissions rejected',
    ]);
  });
  it('reports a jump in failures, not a few failures among many successes', () => {
    const spike = [
      ...quiet.slice(0, 55),
      ...Array.from({ length: 5 }, () => ({ received: 5, published: 1, failed: 3 })),
    ];
    expect(healthProblems({ stages: [], redis: true, s3: true, perMinute: spike })).toEqual([
      'Failures are up: 15 failed jobs in the last 5 minutes',
    ]);
    const fine = [
      ...quiet.slice(0, 55),
      ...Array.from({ length: 5 }, () => ({ received: 50, published: 50, failed: 2 })),
    ];
    expect(healthProblems({ stages: [], redis: true, s3: true, perMinute: fine })).toEqual([]);
  });
});

describe('html', () => {
  it('escapes interpolations but not raw()', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    expect(html`<p title="${evil}">${evil}${raw('<b>ok</b>')}</p>`.value).toBe(
      `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}<b>ok</b></p>`,
    );
    expect(html`${[1, 'a', null, undefined, false]}`.value).toBe('1a');
  });
  it('escapes captions in feed rows', () => {
    const row = feedRow({
      kind: 'received',
      at: '2024-08-11T21:00:00Z',
      photoId: 'ph_1',
      caption: '<script>x</script>',
    }).value;
    expect(row).not.toContain('<script>');
    expect(row).toContain('&lt;script&gt;');
  });
});

describe('safeNext', () => {
  it('allows only same-site paths', () => {
    expect(safeNext('/dashboard/review?page=2')).toBe('/dashboard/review?page=2');
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/\\evil',
      'javascript:alert(1)',
      '/login',
      undefined,
      7,
    ])
      expect(safeNext(bad)).toBe('/');
  });
});

describe('judgeJobAction', () => {
  const judge = (role: 'editor' | 'admin', action: 'retry' | 'discard', state: string, deadLetter = false) =>
    judgeJobAction({ role, action, state, deadLetter, jobId: 'j1' });

  it('lets editors retry and discard failed jobs and discard dead letters, nothing else', () => {
    expect(judge('editor', 'retry', 'failed')).toEqual({ ok: true, effect: 'retry-failed' });
    expect(judge('editor', 'discard', 'failed')).toEqual({ ok: true, effect: 'remove-job' });
    expect(judge('editor', 'discard', 'gone', true)).toEqual({ ok: true, effect: 'remove-dead-letter' });
    for (const state of ['waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'active'])
      for (const action of ['retry', 'discard'] as const)
        expect([state, action, judge('editor', action, state)]).toEqual([
          state,
          action,
          expect.objectContaining({ ok: false, status: 409 }),
        ]);
  });

  it('gives admins full control except over a running job, and nothing to retry unless it ended', () => {
    for (const state of ['waiting', 'delayed', 'completed'])
      expect(judge('admin', 'discard', state)).toEqual({ ok: true, effect: 'remove-job' });
    expect(judge('admin', 'retry', 'completed')).toEqual({ ok: true, effect: 'retry-completed' });
    expect(judge('admin', 'retry', 'waiting')).toMatchObject({ ok: false, status: 409, message: /waiting/ });
    expect(judge('admin', 'discard', 'active')).toMatchObject({ ok: false, status: 409, message: /running/ });
  });

  it('says what happened to a job that is gone', () => {
    expect(judge('admin', 'retry', 'gone')).toMatchObject({ ok: false, status: 404 });
    expect(judge('editor', 'retry', 'gone', true)).toMatchObject({
      status: 409,
      message: /no longer in the queue/,
    });
  });
});
