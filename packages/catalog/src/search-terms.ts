import type { PhotoMetadata } from '@lightbox/contracts';

const STOPWORDS = new Set(
  'a an and are as at be by for from has in is it its of on or the to was were with during after before photo ap via'.split(
    ' ',
  ),
);

/** Lower-case, accent-free words of 2+ characters (digits kept), without stopwords, each once. */
export function searchTerms(text: string | undefined, limit = 300): string[] {
  if (!text) return [];
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && w.length <= 40 && !STOPWORDS.has(w));
  return [...new Set(words)].slice(0, limit);
}

/** The words a photo is found by: caption, headline, people, credit, event, places, keywords. */
export function photoSearchTerms(m: PhotoMetadata): string[] {
  return searchTerms(
    [
      m.caption,
      m.headline,
      m.byline,
      m.creditLine,
      m.credit,
      m.source,
      m.event,
      m.city,
      m.sublocation,
      m.country,
      m.objectName,
      m.agency,
      ...(m.keywords ?? []),
    ]
      .filter(Boolean)
      .join(' '),
    500,
  );
}

/** An agency name as filed for search: "AP" → "ap", "Agence France-Presse" → "agence-france-presse". */
export function agencyKey(agency: string): string {
  return agency
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join('-');
}

/** The agency a photo is filed under for search ("ap", "reuters", …), if known. */
export function searchAgency(m: PhotoMetadata): string | undefined {
  const a = m.agency ?? m.parsedCredit?.agency ?? m.credit;
  return a ? agencyKey(a) || undefined : undefined;
}
