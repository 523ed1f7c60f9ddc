export { IngestStage } from './stages/ingest-stage.js';
export { MatchStage, candidateRange } from './stages/match-stage.js';
export { PublishStage } from './stages/publish-stage.js';
export { RenderStage, watermarkTextFor } from './stages/render-stage.js';
export type { StageDeps } from './stages/deps.js';
export { startWorkerApp, type WorkerApp } from './worker-app.js';
