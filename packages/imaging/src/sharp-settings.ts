import sharp from 'sharp';

export interface SharpSettings {
  /** libvips threads per image; throughput comes from photos in flight, not threads per photo. */
  threadsPerImage: number;
  /** libvips operation cache; small, so memory stays flat under load. */
  cacheMemoryMb: number;
}

export const DEFAULT_SHARP_SETTINGS: SharpSettings = { threadsPerImage: 1, cacheMemoryMb: 32 };

/** Applies process-wide sharp settings. Call once at worker start-up. */
export function configureSharp(settings: SharpSettings = DEFAULT_SHARP_SETTINGS): void {
  sharp.concurrency(settings.threadsPerImage);
  sharp.cache({ memory: settings.cacheMemoryMb, files: 0, items: 50 });
}
