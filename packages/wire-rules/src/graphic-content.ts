/**
 * Graphic-content flags agencies put in special instructions and captions: "WARNING: GRAPHIC
 * CONTENT", "EDITORS NOTE: … DISTURBING", and short desk codes such as "SMOUT". A flagged photo is
 * marked sensitive: dashboards and downstream pages blur it until a person chooses to look.
 * Everything matches whole words only: a code never fires inside another word ("Portsmouth").
 */
export interface GraphicContentOptions {
  /** Extra words, phrases or desk codes meaning "graphic" for this feed (whole words, any case). */
  words?: readonly string[];
  /** Drop the built-in codes (`DEFAULT_GRAPHIC_CODES`) for a feed that uses them otherwise. */
  withoutDefaultCodes?: boolean;
}

export interface GraphicContentInput {
  specialInstructions?: string;
  caption?: string;
  headline?: string;
}

export interface GraphicContentFlag {
  /** For editors and the record: where and what, e.g. `special instructions: "GRAPHIC CONTENT"`. */
  reason: string;
  field: keyof GraphicContentInput;
  /** The text that matched, as written. */
  match: string;
}

/** Desk codes read as graphic content unless a feed opts out. */
export const DEFAULT_GRAPHIC_CODES: readonly string[] = ['SMOUT'];

/** Letters, digits or underscore on either side means "inside a word". */
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}_])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}_])';

const PHRASES: RegExp[] = [
  // "WARNING: GRAPHIC CONTENT", "Graphic content", "GRAPHIC IMAGES", "contains graphic material"
  new RegExp(
    `${NOT_WORD_BEFORE}graphic\\s+(?:content|images?|pictures?|photos?|material|violence|nature)${NOT_WORD_AFTER}`,
    'iu',
  ),
  // "EDITORS NOTE: … DISTURBING", "EDITOR'S NOTE - this image may be disturbing", within one note
  new RegExp(
    `${NOT_WORD_BEFORE}editor[’']?s?[’']?\\s+note${NOT_WORD_AFTER}[^\\n]{0,300}?${NOT_WORD_BEFORE}(?:disturbing|distressing|graphic)${NOT_WORD_AFTER}`,
    'iu',
  ),
  // "DISTURBING CONTENT", "may be disturbing to some viewers"
  new RegExp(`${NOT_WORD_BEFORE}disturbing\\s+(?:content|images?|pictures?|scenes?)${NOT_WORD_AFTER}`, 'iu'),
  new RegExp(
    `${NOT_WORD_BEFORE}(?:may|might|could)\\s+(?:be|find\\s+it)\\s+disturbing${NOT_WORD_AFTER}`,
    'iu',
  ),
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole-word, any-case pattern for a configured word or phrase (spaces match any whitespace). */
export function wholeWordPattern(word: string): RegExp | undefined {
  const parts = word.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (parts.length === 0) return undefined;
  return new RegExp(`${NOT_WORD_BEFORE}${parts.join('\\s+')}${NOT_WORD_AFTER}`, 'iu');
}

const FIELD_NAMES: Record<keyof GraphicContentInput, string> = {
  specialInstructions: 'special instructions',
  caption: 'caption',
  headline: 'headline',
};

/**
 * Whether the agency flagged the picture as graphic, and where. Special instructions are read
 * first, then the headline and caption. Undefined when nothing matched.
 */
export function detectGraphicContent(
  input: GraphicContentInput,
  options: GraphicContentOptions = {},
): GraphicContentFlag | undefined {
  const words = [...(options.withoutDefaultCodes ? [] : DEFAULT_GRAPHIC_CODES), ...(options.words ?? [])];
  const patterns = [...PHRASES, ...words.map(wholeWordPattern).filter((p): p is RegExp => p !== undefined)];
  for (const field of ['specialInstructions', 'headline', 'caption'] as const) {
    const text = input[field];
    if (!text) continue;
    for (const pattern of patterns) {
      const m = text.match(pattern);
      if (m) {
        const match = m[0].replace(/\s+/g, ' ').trim();
        const quoted = match.length > 120 ? `${match.slice(0, 119)}…` : match;
        return { field, match, reason: `Graphic content flagged in ${FIELD_NAMES[field]}: "${quoted}"` };
      }
    }
  }
  return undefined;
}
