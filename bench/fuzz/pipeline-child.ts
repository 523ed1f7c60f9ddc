/**
 * Runs untrusted bytes through what the pipeline does to an upload — sniff, header probe, metadata
 * read, render of the default rendition set — in its own process, so that a native crash or a hang
 * is seen by the parent instead of taking it down. One JSON message in, one out.
 */
import {
  configureSharp,
  DEFAULT_RENDITIONS,
  ImageInputError,
  probeImage,
  renderPhoto,
} from '@lightbox/imaging';
import { jpegMetadataBytes, sniffImageFormat } from '@lightbox/intake';
import { readPhotoMetadata } from '@lightbox/metadata';

const MAX_PIXELS = 100_000_000;
// The worker's settings: one libvips thread per image, a 32 MB operation cache.
configureSharp();
let peakRss = 0;

interface Outcome {
  id: number;
  outcome: 'processed' | 'rejected' | 'unexpected';
  reason?: string;
  rssMb: number;
}

async function handle(bytes: Buffer): Promise<Omit<Outcome, 'id' | 'rssMb'>> {
  const format = sniffImageFormat(bytes.subarray(0, 32));
  if (!format) return { outcome: 'rejected', reason: 'unsupported_format: not an image Lightbox reads' };
  if (format.format === 'jpeg' && jpegMetadataBytes(bytes).exceeds)
    return { outcome: 'rejected', reason: 'metadata_too_large' };
  try {
    await probeImage(bytes, MAX_PIXELS);
    await readPhotoMetadata(bytes);
    await renderPhoto(bytes, { renditions: DEFAULT_RENDITIONS, maxInputPixels: MAX_PIXELS });
    return { outcome: 'processed' };
  } catch (err) {
    if (err instanceof ImageInputError) return { outcome: 'rejected', reason: `${err.code}: ${err.message}` };
    return { outcome: 'unexpected', reason: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

process.on('message', async (message: { id: number; bytes: string }) => {
  const result = await handle(Buffer.from(message.bytes, 'base64'));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.send?.({ id: message.id, ...result, rssMb: Math.round(peakRss / 1048576) } satisfies Outcome);
});
process.send?.({ ready: true });
