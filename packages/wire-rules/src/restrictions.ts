/**
 * Usage restrictions agencies put in special instructions and usage terms: "SPAIN OUT",
 * "NO SALES", "MANDATORY CREDIT", "EDITORIAL USE ONLY", "NO ARCHIVE" … Recorded on the photo and
 * carried into the manifest, upper-cased and de-duplicated.
 */
const PHRASES: RegExp[] = [
  /\bMANDATORY CREDIT\b/gi,
  /\b(?:FOR )?EDITORIAL USE ONLY\b/gi,
  /\bNO (?:THIRD[- ]PARTY )?(?:RE)?SALES?\b/gi,
  /\bNO ARCHIV(?:E|ES|AL|ING)\b/gi,
  /\bNO (?:COMMERCIAL|MARKETING|ADVERTISING|PROMOTIONAL) USE\b/gi,
  /\bNO (?:MAGS|MAGAZINES|BOOKS|TV|WIRELESS|INTERNET|ONLINE|SOCIAL MEDIA|MOBILE)\b/gi,
  /\bNO USE (?:IN|BY|ON) [A-Z][A-Za-z ]{1,40}?(?=$|[.,;:!)/]|\s-\s)/gi,
  /\bEMBARGOED\b/gi,
];

/** "<PLACE> OUT": one to three capitalised words before OUT ("SPAIN OUT", "NEWSMAGAZINES OUT"). */
const OUT = /\b((?:[A-Z][A-Za-z.'-]+\s){0,2}[A-Z][A-Za-z.'-]+) (?:OUT|Out)\b/g;

export function parseRestrictions(...texts: (string | undefined)[]): string[] {
  const found: string[] = [];
  const add = (s: string) => {
    const v = s.replace(/\s+/g, ' ').trim().toUpperCase();
    if (v && !found.includes(v)) found.push(v);
  };
  for (const text of texts) {
    if (!text) continue;
    for (const re of PHRASES) for (const m of text.matchAll(re)) add(m[0]);
    for (const m of text.matchAll(OUT)) {
      // Skip sentence words like "Walks out": the place part must be a name or code, not lower case.
      const place = (m[1] as string).trim();
      if (place === place.toUpperCase() || /^[A-Z][a-z]+$/.test(place)) add(`${place} OUT`);
    }
  }
  return found.filter((r) => r !== 'EMBARGOED');
}
