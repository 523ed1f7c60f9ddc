/**
 * Agency advisory headers at the start of a caption: notes to editors about the transmission
 * ("CORRECTS TO SECOND HALF:", "REFILE - ADDING RESTRICTION", "UPDATES WITH NEW CROP -",
 * "EDS NOTE: GRAPHIC CONTENT -"), not part of what readers see. The record keeps the caption as
 * received; public text (manifest caption, alt, feeds) leaves them out.
 */
const ADVISORY_WORD =
  /^(?:CORRECTS?|CORRECTION|CORRECTED|CORRECTING|CLARIFICATION|CLARIFIES|REPEATS?|REPEATING|QUALITY REPEAT|UPDATES?|UPDATED|UPDATING|REFILES?|REFILED|REFILING|RETRANSMITT?(?:ED|ING)?|RESENDING|RESENT|ADDS|ADDING|REPLACES|REPLACING|FIXES|FIXING|ALTERNATE CROP|ALTERNATIVE CROP|EDS?\.? NOTE|EDITORS?'? NOTE|EDITORIAL NOTE|ATTENTION EDITORS?|ADVISORY|WARNING(?=:))\b:?/;

/** A word of an all-capitals header: capitals, digits and the punctuation headers use. */
const CAPS_WORD = /^[A-Z0-9][A-Z0-9.,'’/&()#-]*:?$/;
const DELIMITER = /^(?::|[-–—]{1,2}|\.|\/)$/;

/** Removes one advisory header from the start of `text`; returns `text` unchanged when there is none. */
function stripOne(text: string): string {
  const head = text.match(ADVISORY_WORD);
  if (!head) return text;
  let rest = text.slice(head[0].length);
  // "CORRECTS spelling of venue: …": a short header that goes on in lower case, ended by a colon
  // ("CORRECTS NAME Frame 2: …" is a capitals header: "Frame 2:" belongs to the caption).
  const colon = rest.indexOf(':');
  const before = rest.slice(0, colon);
  if (
    !head[0].endsWith(':') &&
    /^\s+[a-z]/.test(rest) &&
    colon > 0 &&
    colon <= 80 &&
    !/[.!?]| [-–—] /.test(before)
  )
    return rest.slice(colon + 1).trimStart();
  // The header runs over capitalised words up to its delimiter (":", " - ", ". ") or, without one,
  // to the last capitalised word before ordinary text.
  const words = rest.split(/(\s+)/);
  let consumed = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (/^\s+$/.test(word) || word === '') {
      consumed += word;
      continue;
    }
    if (DELIMITER.test(word)) return rest.slice(consumed.length + word.length).replace(/^\s+/, '');
    if (/:$/.test(word) && CAPS_WORD.test(word)) return rest.slice(consumed.length + word.length).trimStart();
    if (!CAPS_WORD.test(word)) break;
    // A capitalised word followed by a delimiter or more capitals stays in the header.
    consumed += word;
  }
  // No delimiter: the header is the run of capitals, but keep a final word that starts the
  // sentence ("CORRECTS SPELLING OF NAME Tom Cruise …": "Tom" is not in the run anyway).
  rest = rest.slice(consumed.length).replace(/^\s+/, '');
  return rest.length > 0 ? rest : text;
}

/** The caption without its leading advisory headers (several may be stacked). */
export function stripAdvisories(caption: string): string {
  let text = caption.trim();
  for (let i = 0; i < 4; i++) {
    const next = stripOne(text);
    if (next === text) break;
    text = next;
  }
  return text;
}

/** "Jun 14, 2025; Chicago, IL, USA; …": the date-and-place header some agencies put before the caption. */
const SEMICOLON_DATELINE = /^[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}; [^;]{2,80}; /;

/** Removes a leading date-and-place header ("Jun 14, 2025; Chicago, IL, USA; "), for alt text. */
export function stripDateline(text: string): string {
  return text.replace(SEMICOLON_DATELINE, '');
}
