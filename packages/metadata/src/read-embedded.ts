import { createHash } from 'node:crypto';
import exifr from 'exifr';
import { detectIimCharset, type IimCharsetInfo, redecodeIim } from './iim-charset.js';
import { readPhotoshopIrb } from './photoshop-irb.js';
import { LITERAL_XMP_PROPERTIES, literalXmpText } from './xmp-literal.js';

export type IimValues = Record<string, string | string[]>;
export type XmpNamespaces = Record<string, Record<string, unknown>>;

/** What the file says, block by block, before any reconciliation. */
export interface EmbeddedMetadata {
  iim: IimValues;
  iimCharset: IimCharsetInfo;
  /**
   * MWG: `match` when the stored IPTC digest equals the MD5 of the IIM block (IIM and XMP in sync);
   * `mismatch` when IIM was edited by a tool that did not update XMP; `absent` when no digest.
   */
  iimDigest: 'match' | 'mismatch' | 'absent';
  xmp: XmpNamespaces;
  /** EXIF IFD0 and Exif sub-IFD tags. */
  exif: Record<string, unknown>;
  warnings: string[];
}

const XMP_NAMESPACE_ALIASES: Record<string, string> = { xap: 'xmp', xapRights: 'xmpRights' };
const NON_XMP_BLOCKS = new Set([
  'iptc',
  'ifd0',
  'ifd1',
  'exif',
  'gps',
  'interop',
  'thumbnail',
  'icc',
  'jfif',
  'ihdr',
  'makerNote',
  'userComment',
]);

/** The empty result: a file without readable metadata still renders; the warning says why. */
export function emptyEmbeddedMetadata(warning?: string): EmbeddedMetadata {
  return {
    iim: {},
    iimCharset: { charset: 'windows-1252', how: 'default' },
    iimDigest: 'absent',
    xmp: {},
    exif: {},
    warnings: warning ? [warning] : [],
  };
}

/**
 * Reads IPTC IIM, XMP and EXIF from image bytes with exifr, keeping the blocks apart
 * (`mergeOutput: false`) so that reconciliation can follow the MWG rules. Never throws for broken
 * metadata: problems become `warnings`.
 */
export async function readEmbeddedMetadata(image: Buffer): Promise<EmbeddedMetadata> {
  const out = emptyEmbeddedMetadata();
  let parsed: Record<string, Record<string, unknown>> | undefined;
  try {
    parsed = await exifr.parse(image, {
      tiff: true,
      exif: true,
      gps: false,
      interop: false,
      ifd1: false,
      iptc: true,
      xmp: true,
      icc: false,
      jfif: false,
      ihdr: false,
      makerNote: false,
      userComment: false,
      multiSegment: true,
      mergeOutput: false,
      translateKeys: true,
      translateValues: false,
      reviveValues: false,
      sanitize: true,
    });
  } catch (err) {
    out.warnings.push(`metadata unreadable: ${(err as Error).message}`);
  }

  let irb: ReturnType<typeof readPhotoshopIrb> = {};
  try {
    irb = readPhotoshopIrb(image);
  } catch (err) {
    out.warnings.push(`Photoshop resource block unreadable: ${(err as Error).message}`);
  }
  out.iimCharset = detectIimCharset(irb.iim);
  if (irb.iim && irb.iptcDigest) {
    const md5 = createHash('md5').update(irb.iim).digest();
    out.iimDigest = md5.equals(irb.iptcDigest) ? 'match' : 'mismatch';
  }

  if (!parsed) return out;
  for (const [block, values] of Object.entries(parsed)) {
    if (!values || typeof values !== 'object') continue;
    if (block === 'iptc') {
      for (const [key, value] of Object.entries(values)) {
        if (typeof value === 'string') out.iim[key] = redecodeIim(value, out.iimCharset.charset);
        else if (Array.isArray(value))
          out.iim[key] = value
            .filter((v) => typeof v === 'string')
            .map((v) => redecodeIim(v, out.iimCharset.charset));
      }
    } else if (block === 'ifd0' || block === 'exif') {
      Object.assign(out.exif, values);
    } else if (!NON_XMP_BLOCKS.has(block)) {
      const ns = XMP_NAMESPACE_ALIASES[block] ?? block;
      out.xmp[ns] = { ...(out.xmp[ns] ?? {}), ...values };
    }
  }
  for (const [ns, name] of LITERAL_XMP_PROPERTIES) {
    const value = out.xmp[ns]?.[name];
    if (typeof value === 'number' || typeof value === 'boolean') {
      const literal = literalXmpText(image, `${ns}:${name}`);
      if (literal !== undefined) (out.xmp[ns] as Record<string, unknown>)[name] = literal;
    }
  }
  if (out.iimDigest === 'absent' && out.xmp.photoshop?.LegacyIPTCDigest && irb.iim) {
    const md5 = createHash('md5').update(irb.iim).digest('hex').toUpperCase();
    out.iimDigest = String(out.xmp.photoshop.LegacyIPTCDigest).toUpperCase() === md5 ? 'match' : 'mismatch';
  }
  return out;
}
