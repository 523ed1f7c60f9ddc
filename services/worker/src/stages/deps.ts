import type { PhotoCatalog, StoryCatalog } from '@lightbox/catalog';
import type { Logger } from '@lightbox/logger';
import type { MatchOptions } from '@lightbox/matching';
import type { PipelineQueues } from '@lightbox/queue';
import type { ObjectStore } from '@lightbox/storage';
import type { RenderSettings } from './render-stage.js';

/** What the stage services need from the outside world; each is one small repository. */
export interface StageDeps {
  store: ObjectStore;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  queues: PipelineQueues;
  log: Logger;
  render: RenderSettings;
  maxInputPixels: number;
  matchOptions: MatchOptions;
  publishDelayMs: number;
}
