import type { StageName } from '@lightbox/contracts';
import { withLogContext } from '@lightbox/logger';
import type { StageHandler, StageHandlers, StageJobContext } from '@lightbox/queue';
import { pick, type WorkerDeps } from './deps.js';
import { INGEST_NEEDS, IngestStage } from './stages/ingest-stage.js';
import { MATCH_NEEDS, MatchStage } from './stages/match-stage.js';
import { INDEX_NEEDS, IndexStage, PUBLISH_NEEDS, PublishStage } from './stages/publish-stage.js';
import { RELEASE_NEEDS, ReleaseStage } from './stages/release-stage.js';
import { RENDER_NEEDS, RenderStage } from './stages/render-stage.js';
import {
  ARCHIVE_NEEDS,
  ArchiveStage,
  BACKFILL_NEEDS,
  BackfillStage,
  CLOSE_NEEDS,
  CloseStage,
} from './stages/story-stages.js';
import { TAKEDOWN_NEEDS, TakedownStage } from './stages/takedown-stage.js';
import { WEBHOOK_NEEDS, WebhookStage } from './stages/webhook-stage.js';

/** How this worker serves one stage of the pipeline table: the dependencies it declares, and its handler. */
export interface StageBinding<S extends StageName, K extends keyof WorkerDeps = keyof WorkerDeps> {
  needs: readonly K[];
  handler: (deps: Pick<WorkerDeps, K>) => StageHandler<S>;
}

const bind = <S extends StageName, K extends keyof WorkerDeps>(
  needs: readonly K[],
  handler: (deps: Pick<WorkerDeps, K>) => StageHandler<S>,
): StageBinding<S, K> => ({ needs, handler });

/**
 * Every stage of contracts' `PIPELINE`, bound to its handler here (the order, payloads, next steps,
 * job options and concurrency are the table's). A stage missing here is a compile error.
 */
export const STAGE_BINDINGS: { [S in StageName]: StageBinding<S, keyof WorkerDeps> } = {
  ingest: bind(INGEST_NEEDS, (d) => {
    const stage = new IngestStage(d);
    return (p, c) => stage.handle(p, c);
  }),
  render: bind(RENDER_NEEDS, (d) => {
    const stage = new RenderStage(d);
    return (p, c) => stage.handle(p, c);
  }),
  match: bind(MATCH_NEEDS, (d) => {
    const stage = new MatchStage(d);
    return (p) => stage.handle(p);
  }),
  publish: bind(PUBLISH_NEEDS, (d) => {
    const stage = new PublishStage(d);
    return (p, c) => stage.handle(p, c);
  }),
  takedown: bind(TAKEDOWN_NEEDS, (d) => {
    const stage = new TakedownStage(d);
    return (p, c) => stage.handle(p, c);
  }),
  release: bind(RELEASE_NEEDS, (d) => {
    const stage = new ReleaseStage(d);
    return (p) => stage.handle(p);
  }),
  backfill: bind(BACKFILL_NEEDS, (d) => {
    const stage = new BackfillStage(d);
    return (p) => stage.handle(p);
  }),
  index: bind(INDEX_NEEDS, (d) => {
    const stage = new IndexStage(d);
    return (p) => stage.handle(p);
  }),
  close: bind(CLOSE_NEEDS, (d) => {
    const stage = new CloseStage(d);
    return (p) => stage.handle(p);
  }),
  webhook: bind(WEBHOOK_NEEDS, (d) => {
    const stage = new WebhookStage(d);
    return (p) => stage.handle(p);
  }),
  archive: bind(ARCHIVE_NEEDS, (d) => {
    const stage = new ArchiveStage(d);
    return (p, c) => stage.handle(p, c);
  }),
};

/**
 * The handlers of `stages`, each built over just the dependencies its stage declares; every log
 * line a job writes carries its stage, job id and photo or story.
 */
export function bindStages(stages: readonly StageName[], deps: WorkerDeps): StageHandlers {
  const handlers: Record<
    string,
    (p: { photoId?: string; storyId?: string }, c: StageJobContext) => Promise<void>
  > = {};
  for (const stage of stages) {
    const binding = STAGE_BINDINGS[stage] as unknown as StageBinding<StageName>;
    const handle = binding.handler(pick(deps, binding.needs));
    handlers[stage] = (p: { photoId?: string; storyId?: string }, c: StageJobContext) =>
      withLogContext({ stage, jobId: c.jobId, photoId: p.photoId, storyId: p.storyId }, () =>
        handle(p as never, c),
      );
  }
  return handlers as unknown as StageHandlers;
}
