export * from './credit.js';
export * from './dates.js';
export * from './iim-charset.js';
export * from './jpeg-segments.js';
export * from './normalise.js';
export * from './photoshop-irb.js';
export * from './read-embedded.js';
export * from './rights-writer.js';
export * from './xmp-literal.js';

import type { PhotoMetadata } from '@lightbox/contracts';
import { normaliseMetadata } from './normalise.js';
import { readEmbeddedMetadata } from './read-embedded.js';

/** Reads and normalises in one call. Never throws for broken metadata; see `warnings`. */
export async function readPhotoMetadata(
  image: Buffer,
): Promise<{ metadata: PhotoMetadata; warnings: string[] }> {
  const embedded = await readEmbeddedMetadata(image);
  return { metadata: normaliseMetadata(embedded), warnings: embedded.warnings };
}
