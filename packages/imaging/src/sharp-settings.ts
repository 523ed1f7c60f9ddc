import sharp from 'sharp';

export interface SharpSettings {
  /** libvips threads per image; throughput comes from photos in flight, not threads per photo. */
  threadsPerImage: number;
  /**
   * libvips operation cache (MB; 0 turns it off). Off by default: every original is new and the
   * pipeline never repeats an operation (watermark overlays and the sRGB profile are cached in JS),
   * so a cache only holds on to decoded pixels (about 25 MB more peak RSS at two renders in flight).
   */
  cacheMemoryMb: number;
}

export const DEFAULT_SHARP_SETTINGS: SharpSettings = { threadsPerImage: 1, cacheMemoryMb: 0 };

/** Applies process-wide sharp settings. Call once at worker start-up. */
export function configureSharp(settings: SharpSettings = DEFAULT_SHARP_SETTINGS): void {
  sharp.concurrency(settings.threadsPerImage);
  if (settings.cacheMemoryMb <= 0) sharp.cache(false);
  else sharp.cache({ memory: settings.cacheMemoryMb, files: 0, items: 50 });
}
