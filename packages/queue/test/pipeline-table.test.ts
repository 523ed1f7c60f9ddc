import {
  jobPayloadSchemas,
  nextStages,
  PHOTO_STATUSES,
  PIPELINE,
  STAGES,
  type StageName,
  stagesQueuedBy,
  TIMER_STAGES,
} from '@lightbox/contracts';
import { type LifecycleEffect, type LifecycleEvent, transition } from '@lightbox/lifecycle';
import { describe, expect, it } from 'vitest';
import { STAGE_JOB_OPTIONS } from '../src/index.js';

/** The stage a lifecycle effect queues (LifecycleWork). */
const EFFECT_STAGE: Record<LifecycleEffect['kind'], StageName> = {
  render: 'render',
  match: 'match',
  publish: 'publish',
  takedown: 'takedown',
  'release-at': 'release',
};

/** The lifecycle events each stage applies (services/worker/src/stages). */
const EVENTS_BY_STAGE: Partial<Record<StageName, LifecycleEvent[]>> = {
  render: [{ type: 'reject', reason: 'bad' }],
  match: [
    { type: 'keep-decision' },
    { type: 'auto-match', decision: 'matched', storyId: 'st_a' },
    { type: 'auto-match', decision: 'review', storyId: null },
    { type: 'auto-match', decision: 'unmatched', storyId: null },
  ],
  publish: [{ type: 'published' }],
  release: [
    { type: 'embargo-lapsed', at: '2020-01-01T00:00:00Z' },
    { type: 'expire', reason: 'licence', at: '2020-01-01T00:00:00Z' },
  ],
};

/** Every state the lifecycle can be asked about, roughly: each status, with and without the rest. */
function* states() {
  for (const status of PHOTO_STATUSES)
    for (const rendered of [false, true])
      for (const storyId of [undefined, 'st_b'])
        for (const manual of [undefined, 'assign' as const])
          yield {
            status,
            version: 1,
            rendered,
            storyId,
            manual: manual && storyId ? manual : undefined,
            embargoUntil: status === 'embargoed' ? '2019-01-01T00:00:00Z' : undefined,
            expiresAt: '2019-06-01T00:00:00Z',
          };
}

describe('the pipeline table', () => {
  it('has one entry per stage, in flow order, with its payload schema', () => {
    expect(Object.keys(PIPELINE)).toEqual([...STAGES]);
    for (const stage of STAGES) expect(PIPELINE[stage].payload).toBe(jobPayloadSchemas[stage]);
  });

  it('shows a photo’s way: render, match, publish, index', () => {
    const way: StageName[] = ['render'];
    for (let s = nextStages('render')[0]; s; s = nextStages(s)[0]) way.push(s);
    expect(way).toEqual(['render', 'match', 'publish', 'index']);
    expect(nextStages('ingest')).toEqual(['render']);
  });

  it('derives the queues’ job options and timer stages from the table', () => {
    for (const stage of STAGES) expect(STAGE_JOB_OPTIONS[stage]).toEqual(PIPELINE[stage].options);
    expect([...TIMER_STAGES].sort()).toEqual(['archive', 'close', 'release']);
    expect(PIPELINE.takedown.options.attempts).toBeGreaterThan(PIPELINE.match.options.attempts);
  });

  it('names only known stages', () => {
    for (const stage of STAGES) for (const s of stagesQueuedBy(stage)) expect(STAGES).toContain(s);
  });

  it.each(Object.entries(EVENTS_BY_STAGE))(
    'lists every stage the lifecycle may queue from %s',
    (stage, events) => {
      const queued = new Set<StageName>();
      for (const state of states())
        for (const event of events ?? []) {
          const result = transition(state, event, Date.parse('2020-01-01T00:00:00Z'));
          if (result.ok) for (const e of result.effects) queued.add(EFFECT_STAGE[e.kind]);
        }
      for (const s of queued) expect(stagesQueuedBy(stage as StageName)).toContain(s);
    },
  );
});
