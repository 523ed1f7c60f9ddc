/** The bytes are not an image Lightbox can render: unsupported, corrupt, truncated or too large. */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
  constructor(
    readonly code:
      | 'unsupported_format'
      | 'corrupt_image'
      | 'truncated_image'
      | 'too_many_pixels'
      | 'empty_image',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A decode that stopped on libjpeg's "Corrupt JPEG data" warning other than the harmless
 * "extraneous bytes before marker": the image data itself is damaged (random bytes or zeros in
 * the middle, a file cut short with an end marker appended), and a lenient decode would render
 * grey or noise. Undefined for any other failure.
 */
export function damagedJpegData(err: unknown): ImageInputError | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Corrupt JPEG data/i.test(message) || /extraneous bytes before marker/i.test(message))
    return undefined;
  return new ImageInputError('corrupt_image', `Image data is corrupt: ${message.split('\n')[0]}`);
}

/** Maps a libvips/sharp failure on input to a clear reason. Returns undefined for non-input errors. */
export function classifySharpError(err: unknown, maxPixels: number): ImageInputError | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit|exceeds pixel limit/i.test(message)) {
    return new ImageInputError(
      'too_many_pixels',
      `Image exceeds the pixel limit of ${(maxPixels / 1e6).toFixed(0)} MP (decompression bomb guard)`,
    );
  }
  if (/unsupported image format|Input buffer contains unsupported image format/i.test(message)) {
    return new ImageInputError('unsupported_format', 'Not an image format Lightbox can read');
  }
  if (/premature end|truncated|Premature|end of (file|stream)|not enough data/i.test(message)) {
    return new ImageInputError('truncated_image', `Image data is truncated: ${message.split('\n')[0]}`);
  }
  if (
    /VipsJpeg|VipsPng|VipsWebp|VipsTiff|VipsForeign|jpeg|corrupt|invalid|bad|marker|huffman/i.test(message)
  ) {
    return new ImageInputError('corrupt_image', `Image data is corrupt: ${message.split('\n')[0]}`);
  }
  return undefined;
}
