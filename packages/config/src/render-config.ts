/** Rendering: renditions, watermark, input size limit, render concurrency and libvips settings. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { intFrom, optionalString } from './env-values.js';

/** Renditions, watermark and the render workers. */
export const renderEnv = z.object({
  LIGHTBOX_MAX_INPUT_PIXELS: intFrom(100_000_000, 1),
  /**
   * Render jobs per worker process: one per core. A 24 MP render holds 80–100 MB at its peak, so
   * two per core (the floor's) took a worker past 400 MB; the render is CPU-bound (its S3 transfers
   * are under a tenth of the job), so one per core keeps the cores busy (docs/operations.md).
   */
  LIGHTBOX_RENDER_CONCURRENCY: intFrom(Math.max(1, availableParallelism()), 1),
  LIGHTBOX_RENDITIONS: optionalString,
  LIGHTBOX_RENDITIONS_FILE: optionalString,
  LIGHTBOX_WATERMARK: optionalString,
  LIGHTBOX_WATERMARK_FILE: optionalString,
  LIGHTBOX_SHARP_THREADS: intFrom(1, 1),
  /** libvips' operation cache: off, as no render repeats an operation (overlays are cached in JS). */
  LIGHTBOX_SHARP_CACHE_MB: intFrom(0, 0),
});
