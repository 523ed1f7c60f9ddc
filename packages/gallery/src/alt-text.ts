import { stripDateline } from '@lightbox/wire-rules';
import { captionCredit } from './credit-tail.js';

/** Abbreviations whose full stop does not end a sentence in wire captions. */
const ABBREVIATIONS = new Set(
  'jan feb mar apr aug sept sep oct nov dec mr mrs ms dr st jr sr no vs calif ariz colo conn fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va wash wis wyo gen gov sen rep lt col capt sgt rev prof inc corp co ltd mt ft'.split(
    ' ',
  ),
);

/**
 * Alt text from a caption: its first sentence, without the credit, at most 250 characters.
 * "Tom Cruise is lowered … Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/…)" →
 * "Tom Cruise is lowered … Sunday, Aug. 11, 2024, in Saint-Denis, France."
 */
export function altText(caption: string | undefined): string | null {
  if (!caption) return null;
  let text = caption.trim();
  const credit = captionCredit(text);
  if (credit) text = text.slice(0, text.lastIndexOf(credit)).replace(/[\s(]+$/, '');
  text = text.replace(/^[A-Z][A-Z .'-]+, [A-Z][A-Z .'-]+ - [A-Z]+ \d{1,2}: /, ''); // Getty dateline
  text = stripDateline(text); // "Jun 14, 2025; Chicago, IL, USA; " (USA TODAY Sports / Imagn)
  // Reuters slug header ("Paris 2024 Olympics - Closing Ceremony - Venue, City - August 11, 2024. ")
  const header = text.match(/^[^.]{0,240}? - (?:[A-Z][a-z]+ \d{1,2}, \d{4})\.\s+(?=\S)/);
  if (header && text.length > header[0].length + 10) text = text.slice(header[0].length);
  const re = /([A-Za-z0-9.]+)\.\s+(?=[A-Z("“])/g;
  let end = text.length;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = (m[1] as string).replace(/\./g, '').toLowerCase();
    if (ABBREVIATIONS.has(word) || word.length === 1 || /^[a-z]$/.test(word)) continue;
    if (/^(?:[A-Z]\.)+$/.test(`${m[1]}.`)) continue; // U.S. / D.C.
    end = m.index + (m[1] as string).length + 1;
    break;
  }
  let sentence = text.slice(0, end).trim();
  if (sentence.length > 250) sentence = `${sentence.slice(0, 247).replace(/\s+\S*$/, '')}…`;
  return sentence || null;
}
