import { iimDataset } from './photoshop-irb.js';

export type IimCharset = 'utf-8' | 'latin1';

export interface IimCharsetInfo {
  charset: IimCharset;
  /** `declared`: from envelope dataset 1:90. `detected`: no declaration; bytes were valid UTF-8 with non-ASCII. */
  how: 'declared' | 'detected' | 'default';
}

const ESC_PERCENT_G = Buffer.from([0x1b, 0x25, 0x47]);

/** Non-ASCII bytes that form valid UTF-8 sequences throughout. */
function isNonAsciiUtf8(bytes: Buffer): boolean {
  let nonAscii = false;
  for (const b of bytes) {
    if (b >= 0x80) {
      nonAscii = true;
      break;
    }
  }
  if (!nonAscii) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The character set of IIM text. IIM 4.2: dataset 1:90 CodedCharacterSet, where `ESC % G` means UTF-8.
 * Without a declaration IIM text is nominally ISO 8859-1, but many feeds send undeclared UTF-8:
 * bytes that decode as valid multi-byte UTF-8 are taken as UTF-8.
 */
export function detectIimCharset(iim: Buffer | undefined): IimCharsetInfo {
  if (!iim) return { charset: 'latin1', how: 'default' };
  const declared = iimDataset(iim, 1, 90);
  if (declared?.includes(ESC_PERCENT_G)) return { charset: 'utf-8', how: 'declared' };
  if (declared && declared.length > 0) return { charset: 'latin1', how: 'declared' };
  return isNonAsciiUtf8(iim) ? { charset: 'utf-8', how: 'detected' } : { charset: 'latin1', how: 'default' };
}

/** exifr returns IIM text decoded as Latin-1 (byte for byte); re-decode it in the file's charset. */
export function redecodeIim(value: string, charset: IimCharset): string {
  if (charset === 'latin1') return value;
  return Buffer.from(value, 'latin1').toString('utf8');
}
