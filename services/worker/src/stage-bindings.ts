import type { JobPayloads, StageName } from '@lightbox/contracts';
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

/** A stage service: built over its dependencies, it handles one job at a time. */
type StageService<S extends StageName, K extends keyof WorkerDeps> = new (
  deps: Pick<WorkerDeps, K>,
) => { handle(payload: JobPayloads[S], context: StageJobContext): Promise<void> };

const bind = <S extends StageName, K extends keyof WorkerDeps>(
  needs: readonly K[],
  Service: StageService<S, K>,
): StageBinding<S, K> => ({
  needs,
  handler: (deps) => {
    const service = new Service(deps);
    return (payload, context) => service.handle(payload, context);
  },
});

/**
 * Every stage of contracts' `PIPELINE`, bound to its service here (the order, payloads, next steps,
 * job options and concurrency are the table's). A stage missing here is a compile error.
 */
export const STAGE_BINDINGS: { [S in StageName]: StageBinding<S, keyof WorkerDeps> } = {
  ingest: bind(INGEST_NEEDS, IngestStage),
  render: bind(RENDER_NEEDS, RenderStage),
  match: bind(MATCH_NEEDS, MatchStage),
  publish: bind(PUBLISH_NEEDS, PublishStage),
  takedown: bind(TAKEDOWN_NEEDS, TakedownStage),
  release: bind(RELEASE_NEEDS, ReleaseStage),
  backfill: bind(BACKFILL_NEEDS, BackfillStage),
  index: bind(INDEX_NEEDS, IndexStage),
  close: bind(CLOSE_NEEDS, CloseStage),
  webhook: bind(WEBHOOK_NEEDS, WebhookStage),
  archive: bind(ARCHIVE_NEEDS, ArchiveStage),
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
