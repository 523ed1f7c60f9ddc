/**
 * IPTC Digital Source Type (http://cv.iptc.org/newscodes/digitalsourcetype/): how a picture came
 * to exist. Read from XMP `Iptc4xmpExt:DigitalSourceType` and from C2PA `c2pa.actions`.
 * Every value of the vocabulary (2024-10 release, retired terms included) has a label readers
 * understand; synthetic and AI media are never published without an editor.
 */
export const IPTC_DIGITAL_SOURCE_TYPE_PREFIX = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

export interface DigitalSourceTypeTerm {
  /** Human-readable label for readers and editors, e.g. "AI-generated". */
  label: string;
  /**
   * Rank from 0 (captured from real life) to 4 (wholly generated): when the file and its C2PA
   * manifest disagree, the more synthetic statement wins.
   */
  synthetic: 0 | 1 | 2 | 3 | 4;
  /** Retired by IPTC: still read in legacy files. */
  retired?: true;
}

/** Every IPTC value, keyed by its code. */
export const DIGITAL_SOURCE_TYPES = {
  digitalCapture: { label: 'Photograph', synthetic: 0 },
  computationalCapture: { label: 'Photograph (computational capture)', synthetic: 0 },
  negativeFilm: { label: 'Scanned from film negative', synthetic: 0 },
  positiveFilm: { label: 'Scanned from slide film', synthetic: 0 },
  print: { label: 'Scanned from print', synthetic: 0 },
  minorHumanEdits: { label: 'Edited', synthetic: 0, retired: true },
  humanEdits: { label: 'Edited', synthetic: 0 },
  screenCapture: { label: 'Screen capture', synthetic: 0 },
  algorithmicallyEnhanced: { label: 'Algorithmically enhanced', synthetic: 1 },
  compositeCapture: { label: 'Composite of photographs', synthetic: 1 },
  composite: { label: 'Composite', synthetic: 1 },
  dataDrivenMedia: { label: 'Data-driven image', synthetic: 2 },
  digitalCreation: { label: 'Digital creation', synthetic: 2 },
  digitalArt: { label: 'Digital art', synthetic: 2, retired: true },
  softwareImage: { label: 'Computer-generated', synthetic: 2, retired: true },
  virtualRecording: { label: 'Virtual recording', synthetic: 2 },
  compositeSynthetic: { label: 'Composite with synthetic elements', synthetic: 3 },
  compositeWithTrainedAlgorithmicMedia: { label: 'AI-edited', synthetic: 3 },
  algorithmicMedia: { label: 'Computer-generated (algorithmic)', synthetic: 4 },
  trainedAlgorithmicMedia: { label: 'AI-generated', synthetic: 4 },
} as const satisfies Record<string, DigitalSourceTypeTerm>;

export type DigitalSourceTypeCode = keyof typeof DIGITAL_SOURCE_TYPES;

/** Types that are never published automatically: they wait for an editor, with the reason. */
export const NEVER_AUTO_PUBLISHED: ReadonlySet<DigitalSourceTypeCode> = new Set<DigitalSourceTypeCode>([
  'trainedAlgorithmicMedia',
  'compositeSynthetic',
  'algorithmicMedia',
  'compositeWithTrainedAlgorithmicMedia',
]);

/** What Lightbox makes of one digital source type value. */
export interface DigitalSourceTypeReading {
  /** The value as sent. */
  value: string;
  /** The IPTC code, when the value is an IPTC term. */
  code?: DigitalSourceTypeCode;
  /** The full IPTC URI, when known. */
  uri?: string;
  label: string;
  synthetic: number;
  /** True for AI and synthetic media: an editor decides (`NEVER_AUTO_PUBLISHED`). */
  needsReview: boolean;
  /** True when readers should be told (anything but a picture captured from real life). */
  disclose: boolean;
}

const CODES = new Map(
  Object.keys(DIGITAL_SOURCE_TYPES).map((c) => [c.toLowerCase(), c as DigitalSourceTypeCode]),
);

/**
 * Reads a digital source type: the full IPTC URI (http or https), the `digsrctype:` QCode or the
 * bare code, in any case. Unknown values keep their text, a generic label and no review; undefined
 * for an empty value.
 */
export function readDigitalSourceType(value: string | undefined): DigitalSourceTypeReading | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const tail = text
    .replace(/^https?:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\//i, '')
    .replace(/^digsrctype:/i, '')
    .replace(/\/$/, '');
  const code = /^[A-Za-z]+$/.test(tail) ? CODES.get(tail.toLowerCase()) : undefined;
  if (!code)
    return { value: text, label: `Source type: ${text}`, synthetic: 0, needsReview: false, disclose: false };
  const term: DigitalSourceTypeTerm = DIGITAL_SOURCE_TYPES[code];
  return {
    value: text,
    code,
    uri: `${IPTC_DIGITAL_SOURCE_TYPE_PREFIX}${code}`,
    label: term.label,
    synthetic: term.synthetic,
    needsReview: NEVER_AUTO_PUBLISHED.has(code),
    disclose: term.synthetic > 0,
  };
}

/**
 * The statement that counts among several (XMP, C2PA actions): the most synthetic known one, so a
 * file that says "photograph" in XMP but "AI-edited" in its signed manifest is treated as AI-edited.
 * Ties keep the first given.
 */
export function mostSyntheticSourceType(
  ...values: (string | undefined)[]
): DigitalSourceTypeReading | undefined {
  let best: DigitalSourceTypeReading | undefined;
  for (const value of values) {
    const reading = readDigitalSourceType(value);
    if (!reading) continue;
    if (!best || (reading.code && !best.code) || (reading.code && reading.synthetic > best.synthetic))
      best = reading;
  }
  return best;
}

/** Why a photo must wait for an editor, or undefined when its source type allows auto-publishing. */
export function digitalSourceTypeHold(...values: (string | undefined)[]): string | undefined {
  const reading = mostSyntheticSourceType(...values);
  if (!reading?.needsReview) return undefined;
  return `${reading.label} (IPTC digital source type ${reading.code}): never published automatically`;
}
