import type { ParsedCredit } from '@lightbox/contracts';

/** Canonical agency names, keyed by a normalised spelling. */
const AGENCIES: Record<string, string> = {
  ap: 'AP',
  'associated press': 'AP',
  'the associated press': 'AP',
  reuters: 'Reuters',
  afp: 'AFP',
  'agence france-presse': 'AFP',
  'agence france presse': 'AFP',
  getty: 'Getty Images',
  'getty images': 'Getty Images',
  'the canadian press': 'The Canadian Press',
  'canadian press': 'The Canadian Press',
  cp: 'The Canadian Press',
  dpa: 'dpa',
  'picture alliance': 'picture alliance',
  'picture-alliance': 'picture alliance',
  epa: 'EPA',
  'epa-efe': 'EPA',
  efe: 'EFE',
  'europa press': 'Europa Press',
  'europa press/dpa': 'Europa Press',
  pool: 'Pool',
  ansa: 'ANSA',
  anp: 'ANP',
  keystone: 'Keystone',
  'pa wire': 'PA',
  'pa images': 'PA',
  pa: 'PA',
  kyodo: 'Kyodo',
  xinhua: 'Xinhua',
  'usa today sports': 'USA Today Sports',
  imagn: 'Imagn',
};

const HANDOUT = /^(handout|hando|ho|handout photo)$/i;

/** Canonical agency name for a credit or source string, or undefined when not a known agency. */
export function canonicalAgency(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.,;]+$/, '');
  return AGENCIES[key];
}

const clean = (s: string) =>
  s
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^[([]+|[)\].,;]+$/g, '')
    .trim();

/** "AP" or a known agency; otherwise the text itself, tidied. */
const agencyName = (s: string) => canonicalAgency(s) ?? clean(s);

function photographerName(s: string): string | undefined {
  const name = clean(s);
  if (!name || HANDOUT.test(name)) return undefined;
  return name;
}

function isHandout(s: string): boolean {
  return HANDOUT.test(clean(s));
}

/**
 * Splits one credit line into agency, photographer and distributor.
 * Recognises, among others:
 *   AP Photo/Name · Name/Pool via AP · THE CANADIAN PRESS/Name · THE CANADIAN PRESS/AP-Name
 *   REUTERS/Name · REUTERS/Name/File Photo · Photo by NAME/AFP via Getty Images · Photo by Name/Getty Images
 *   Photo: Name/EUROPA PRESS/dpa · EPA/NAME · EPA-EFE/NAME · Handout via REUTERS · HANDOUT/AFP
 * Unknown formats return only `raw`.
 */
export function parseCredit(text: string | undefined): ParsedCredit | undefined {
  if (!text) return undefined;
  const raw = text.trim().replace(/\s+/g, ' ');
  if (!raw) return undefined;
  const body = clean(raw);
  let m: RegExpMatchArray | null;

  // Photo by NAME/AFP via Getty Images · Photo by Handout/Getty Images
  m = body.match(/^photo by (.+?)\s*\/\s*(.+?)(?: via (.+))?$/i);
  if (m) {
    const [, who, agency, via] = m as unknown as [string, string, string, string | undefined];
    return {
      raw,
      agency: agencyName(agency),
      photographer: photographerName(who),
      distributor: via ? agencyName(via) : undefined,
    };
  }

  // Photo: Name/EUROPA PRESS/dpa · Photo: Name/dpa
  m = body.match(/^(?:photo|foto)\s*:\s*(.+?)\s*\/\s*(.+?)(?:\s*\/\s*(.+))?$/i);
  if (m) {
    const [, who, first, second] = m as unknown as [string, string, string, string | undefined];
    return second
      ? {
          raw,
          photographer: photographerName(who),
          agency: agencyName(first),
          distributor: agencyName(second),
        }
      : { raw, photographer: photographerName(who), agency: agencyName(first) };
  }

  // THE CANADIAN PRESS/AP-Name · THE CANADIAN PRESS/Name
  m = body.match(/^(the canadian press|canadian press)\s*\/\s*(?:([A-Za-z]{2,10})\s*-\s*)?(.+)$/i);
  if (m) {
    const [, cp, partner, who] = m as unknown as [string, string, string | undefined, string];
    const partnerAgency = partner ? canonicalAgency(partner) : undefined;
    if (partner && partnerAgency) {
      return { raw, agency: partnerAgency, photographer: photographerName(who), distributor: agencyName(cp) };
    }
    return {
      raw,
      agency: agencyName(cp),
      photographer: photographerName(partner ? `${partner}-${who}` : who),
    };
  }

  // AP Photo/Name · AP Photo/Name, File · AFP PHOTO/NAME
  m = body.match(/^(.+?) photo\s*\/\s*(.+)$/i);
  if (m) {
    const [, agency, who] = m as unknown as [string, string, string];
    const name = who.replace(/,\s*(file|pool)$/i, '');
    return { raw, agency: agencyName(agency), photographer: photographerName(name) };
  }

  // Name/Pool via AP · Handout via REUTERS · Name via Getty Images
  m = body.match(/^(.+?) via (.+)$/i);
  if (m) {
    const [, left, via] = m as unknown as [string, string, string];
    const parts = left.split('/').map((p) => p.trim());
    if (parts.length >= 2) {
      return {
        raw,
        photographer: photographerName(parts[0] as string),
        agency: agencyName(parts[1] as string),
        distributor: agencyName(via),
      };
    }
    return isHandout(left)
      ? { raw, agency: 'Handout', distributor: agencyName(via) }
      : { raw, photographer: photographerName(left), distributor: agencyName(via) };
  }

  // AGENCY/Name[/File Photo] · EPA-EFE/NAME · HANDOUT/AFP · Name/AGENCY (known agency second)
  const parts = body.split('/').map((p) => p.trim());
  if (parts.length >= 2) {
    const [first, second] = parts as [string, string];
    const rest = parts.slice(2).filter((p) => !/^(file( photo)?|pool|handout)$/i.test(p));
    const firstAgency = canonicalAgency(first);
    if (isHandout(first)) return { raw, agency: 'Handout', distributor: agencyName(second) };
    if (firstAgency) {
      const out: ParsedCredit = { raw, agency: firstAgency, photographer: photographerName(second) };
      if (rest.length > 0) out.distributor = agencyName(rest[0] as string);
      return out;
    }
    const secondAgency = canonicalAgency(second);
    if (secondAgency) return { raw, agency: secondAgency, photographer: photographerName(first) };
    if (/^[A-Z][A-Z0-9 .&'-]{1,40}$/.test(first)) {
      // An unknown upper-case agency token, e.g. "KEYSTONE/Name".
      return { raw, agency: clean(first), photographer: photographerName(second) };
    }
  }

  const single = canonicalAgency(body);
  if (single) return { raw, agency: single };
  return { raw };
}

/**
 * The credit at the tail of a caption: a final parenthesised credit "(AP Photo/Name)", or a final
 * sentence such as "REUTERS/Name/File Photo" or "THE CANADIAN PRESS/AP-Name".
 */
export function captionCredit(caption: string | undefined): string | undefined {
  if (!caption) return undefined;
  const text = caption.trim();
  const paren = text.match(/\(([^()]{2,120})\)\s*\.?$/);
  if (paren) {
    const inner = (paren[1] as string).trim();
    if (/\/|\bvia\b|\bphoto\b/i.test(inner)) return inner;
  }
  // dpa style, "Photo: Oscar J. Barroso/EUROPA PRESS/dpa": the name may carry initials with dots.
  const dpa = text.match(/(?:^|[.!?"”]\s+)((?:[Pp]hoto|[Ff]oto)\s*:\s*[^/\n]{2,60}\/[^\n]{1,120}?)\s*\.?$/);
  if (dpa) return (dpa[1] as string).trim();
  // Last sentence: after the last ". " that is followed by an upper-case credit token.
  const tail = text.match(
    /(?:^|[.!?"”]\s+)((?:[Pp]hoto\s*:\s*)?[A-Z][A-Za-z0-9 &'-]{1,40}\/[^\n]{1,120}?)\s*\.?$/,
  );
  if (tail) {
    const candidate = (tail[1] as string).trim();
    const agencyPart = candidate.replace(/^photo\s*:\s*/i, '').split('/')[0] as string;
    if (
      /^photo\s*:/i.test(candidate) ||
      agencyPart === agencyPart.toUpperCase() ||
      canonicalAgency(agencyPart)
    ) {
      return candidate;
    }
  }
  return undefined;
}

/** How each agency prints its credit line, from agency and photographer. */
const CREDIT_STYLES: Record<string, (name: string) => string> = {
  AP: (n) => `AP Photo/${n}`,
  Reuters: (n) => `REUTERS/${n}`,
  AFP: (n) => `${n}/AFP`,
  'Getty Images': (n) => `${n}/Getty Images`,
  'The Canadian Press': (n) => `THE CANADIAN PRESS/${n}`,
  dpa: (n) => `${n}/dpa`,
  EPA: (n) => `EPA/${n.toUpperCase()}`,
};

/**
 * The credit line as the agency prints it, for photos whose caption carries none:
 * "AP Photo/Name", "REUTERS/Name", "Name/AFP"; otherwise "Name/Credit".
 */
export function formatCreditLine(
  credit: string | undefined,
  photographer: string | undefined,
): string | undefined {
  const agency = canonicalAgency(credit);
  if (!photographer) return credit?.trim() || undefined;
  if (!credit) return photographer;
  // "Allan Kohl; Minneapolis College …" already names the photographer: don't say it twice.
  if (credit.toLowerCase().includes(photographer.toLowerCase())) return credit.trim();
  const style = agency ? CREDIT_STYLES[agency] : undefined;
  return style ? style(photographer) : `${photographer}/${credit.trim()}`;
}
