import type { PhotoCatalog, StoryCatalog } from '@lightbox/catalog';
import type { RenditionSpec } from '@lightbox/imaging';
import type { Logger } from '@lightbox/logger';
import type { MatchOptions } from '@lightbox/matching';
import type { PipelineQueues } from '@lightbox/queue';
import type { ObjectStore } from '@lightbox/storage';

/** What the stage services need from the outside world; each is one small repository. */
export interface StageDeps {
  store: ObjectStore;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  queues: PipelineQueues;
  log: Logger;
  renditions: readonly RenditionSpec[];
  maxInputPixels: number;
  matchOptions: MatchOptions;
  publishDelayMs: number;
}
