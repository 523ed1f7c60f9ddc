export type { StageDeps } from './stages/deps.js';
export { IngestStage } from './stages/ingest-stage.js';
export { candidateRange, MatchStage } from './stages/match-stage.js';
export { PublishStage } from './stages/publish-stage.js';
export { type RenderSettings, RenderStage, renderOriginal, watermarkTextFor } from './stages/render-stage.js';
export { startWorkerApp, type WorkerApp } from './worker-app.js';
