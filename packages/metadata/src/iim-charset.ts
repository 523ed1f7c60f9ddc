import { iimDataset } from './photoshop-irb.js';

/**
 * `windows-1252`: undeclared (or declared Latin-1) IIM that is not UTF-8. Windows-1252 is Latin-1
 * for every printable character and gives 0x80–0x9F their meaning in agency text (0x96 is an en
 * dash, 0x93/0x94 curly quotes), where Latin-1 has invisible control codes.
 */
export type IimCharset = 'utf-8' | 'windows-1252';

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
 * bytes that decode as valid multi-byte UTF-8 are taken as UTF-8; the rest is Windows-1252.
 */
export function detectIimCharset(iim: Buffer | undefined): IimCharsetInfo {
  if (!iim) return { charset: 'windows-1252', how: 'default' };
  const declared = iimDataset(iim, 1, 90);
  if (declared?.includes(ESC_PERCENT_G)) return { charset: 'utf-8', how: 'declared' };
  if (declared && declared.length > 0) return { charset: 'windows-1252', how: 'declared' };
  return isNonAsciiUtf8(iim)
    ? { charset: 'utf-8', how: 'detected' }
    : { charset: 'windows-1252', how: 'default' };
}

/** Windows-1252's characters for 0x80–0x9F (undefined bytes stay as they are). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/** Decodes Windows-1252 text that was read byte for byte as Latin-1. */
export function fromWindows1252(latin1: string): string {
  return latin1.replace(/[\u0080-\u009f]/g, (c) =>
    String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] as number),
  );
}

/** exifr returns IIM text decoded as Latin-1 (byte for byte); re-decode it in the file's charset. */
export function redecodeIim(value: string, charset: IimCharset): string {
  if (charset === 'windows-1252') return fromWindows1252(value);
  return Buffer.from(value, 'latin1').toString('utf8');
}
