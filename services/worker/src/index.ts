export type { StageDeps } from './stages/deps.js';
export { IngestStage } from './stages/ingest-stage.js';
export { MatchStage } from './stages/match-stage.js';
export { IndexStage, PublishStage } from './stages/publish-stage.js';
export { type RenderSettings, RenderStage, renderOriginal, watermarkTextFor } from './stages/render-stage.js';
export { StoryIndexCache } from './stages/story-index-cache.js';
export { BackfillStage, CloseStage } from './stages/story-stages.js';
export { WebhookStage } from './stages/webhook-stage.js';
export { startWorkerApp, type WorkerApp } from './worker-app.js';
