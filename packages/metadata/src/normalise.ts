import type { PhotoMetadata } from '@lightbox/contracts';
import { canonicalAgency, captionCredit, formatCreditLine, parseCredit } from './credit.js';
import { chooseCaptureDate, exifCaptureDate, iimCaptureDate, xmpCaptureDate } from './dates.js';
import type { EmbeddedMetadata } from './read-embedded.js';

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** exifr leaves XML character references in XMP text; decode them. */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Text of an XMP value: a plain string, a lang-alt (`x-default` first) or the first of a list. */
export function xmpText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return decodeXmlEntities(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const def = value.find(
      (v) => v && typeof v === 'object' && (v as { lang?: string }).lang === 'x-default',
    );
    return xmpText(def ?? value[0]);
  }
  if (typeof value === 'object' && 'value' in (value as object))
    return xmpText((value as { value: unknown }).value);
  return undefined;
}

function xmpList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(xmpText).filter((v): v is string => Boolean(v));
  const text = xmpText(value);
  return text ? [text] : [];
}

/** Structures of an XMP list (one structure, or a Seq/Bag of them). */
function xmpStructs(value: unknown): Record<string, unknown>[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((v): v is Record<string, unknown> => Boolean(v) && typeof v === 'object');
}

const PLUS_VOCABULARY = 'http://ns.useplus.org/ldf/vocab/';

/** A PLUS controlled value ("http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED") as its code ("DMI-PROHIBITED"). */
export function plusCode(value: unknown): string | undefined {
  const text = cleanText(xmpText(value));
  return text?.startsWith(PLUS_VOCABULARY) ? text.slice(PLUS_VOCABULARY.length) || undefined : text;
}

function iimText(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(' ') : value;
}

function iimList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Trims, unifies line breaks and drops control characters; empty becomes undefined. */
export function cleanText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value
    .replace(/\r\n?/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
  return text === '' ? undefined : text;
}

/** Particles that stay lower-case inside place names: "Saint-Quentin-en-Yvelines", "Villeneuve-d'Ascq". */
const PLACE_PARTICLES = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'en',
  'sur',
  'sous',
  'lès',
  'lez',
  'aux',
  'et',
  'am',
  'an',
  'der',
  'im',
  'bei',
  'von',
  'upon',
  'on',
  'of',
  'del',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'y',
]);

/** "SAINT-DENIS" → "Saint-Denis"; leaves mixed case and short codes ("USA") alone. */
export function placeName(value: string | undefined): string | undefined {
  const text = cleanText(value);
  if (!text) return undefined;
  if (text !== text.toUpperCase() || text.length <= 3 || !/[A-Z]/.test(text)) return text;
  const parts = text.toLowerCase().split(/([\s\-/(]+)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1 || part === '') return part; // separators
      const elided = part.match(/^([dl])['’](.+)$/);
      if (elided) {
        const rest = (elided[2] as string).charAt(0).toUpperCase() + (elided[2] as string).slice(1);
        return i === 0 ? `${(elided[1] as string).toUpperCase()}'${rest}` : `${elided[1]}'${rest}`;
      }
      if (i > 0 && PLACE_PARTICLES.has(part)) return part;
      return part.charAt(0).toUpperCase() + part.slice(1);
    })
    .join('');
}

/**
 * MWG reconciliation of one field. When the IPTC digest matches, IIM and XMP are in sync and XMP
 * (unlimited length, Unicode) wins. When the digest is absent or mismatched, IIM may have been edited
 * by a tool unaware of XMP, so IIM wins — unless it is just a length-truncated copy of the XMP value.
 */
export function reconcile(
  xmp: string | undefined,
  iim: string | undefined,
  digest: EmbeddedMetadata['iimDigest'],
): string | undefined {
  const x = cleanText(xmp);
  const i = cleanText(iim);
  if (!x) return i;
  if (!i) return x;
  if (digest === 'match') return x;
  if (x.startsWith(i) && x.length > i.length) return x;
  return i;
}

function reconcileList(xmp: string[], iim: string[], digest: EmbeddedMetadata['iimDigest']): string[] {
  const pick = digest === 'match' ? (xmp.length ? xmp : iim) : iim.length ? iim : xmp;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of pick) {
    const k = cleanText(raw);
    if (k && !seen.has(k.toLowerCase())) {
      seen.add(k.toLowerCase());
      out.push(k);
    }
  }
  return out;
}

/** Turns the blocks of one file into Lightbox's normalised caption record. Pure. */
export function normaliseMetadata(embedded: EmbeddedMetadata): PhotoMetadata {
  const { iim, xmp, exif, iimDigest: digest } = embedded;
  const dc = xmp.dc ?? {};
  const ps = xmp.photoshop ?? {};
  const core = xmp.Iptc4xmpCore ?? {};
  const ext = xmp.Iptc4xmpExt ?? {};
  const rights = xmp.xmpRights ?? {};
  const plus = xmp.plus ?? {};
  const locationCreated = (
    Array.isArray(ext.LocationCreated) ? ext.LocationCreated[0] : ext.LocationCreated
  ) as Record<string, unknown> | undefined;

  const caption =
    reconcile(xmpText(dc.description), iimText(iim.Caption), digest) ??
    cleanText(exif.ImageDescription as string);
  const byline =
    reconcile(
      xmpList(dc.creator).join(', ') || undefined,
      iimList(iim.Byline).join(', ') || undefined,
      digest,
    ) ?? cleanText(exif.Artist as string);
  const credit = reconcile(xmpText(ps.Credit), iimText(iim.Credit), digest);
  const source = reconcile(xmpText(ps.Source), iimText(iim.Source), digest);

  const date = chooseCaptureDate([
    iimCaptureDate(iimText(iim.DateCreated), iimText(iim.TimeCreated)),
    xmpCaptureDate(xmpText(ps.DateCreated)),
    exifCaptureDate(
      (exif.DateTimeOriginal as string | undefined) ?? (exif.CreateDate as string | undefined),
      (exif.OffsetTimeOriginal as string | undefined) ?? (exif.OffsetTime as string | undefined),
    ),
  ]);

  const metadata: PhotoMetadata = {
    caption,
    headline: reconcile(xmpText(ps.Headline), iimText(iim.Headline), digest),
    credit,

    byline,
    bylineTitle: reconcile(xmpText(ps.AuthorsPosition), iimText(iim.BylineTitle), digest),
    source,
    copyright:
      reconcile(xmpText(dc.rights), iimText(iim.CopyrightNotice), digest) ??
      cleanText(exif.Copyright as string),
    usageTerms: cleanText(xmpText(rights.UsageTerms)),
    dateCreated: date?.iso,
    dateZone: date?.zone,
    city: placeName(reconcile(xmpText(ps.City), iimText(iim.City), digest) ?? xmpText(locationCreated?.City)),
    sublocation: placeName(
      reconcile(xmpText(core.Location), iimText(iim.Sublocation), digest) ??
        xmpText(locationCreated?.Sublocation),
    ),
    provinceState: placeName(
      reconcile(xmpText(ps.State), iimText(iim.State), digest) ?? xmpText(locationCreated?.ProvinceState),
    ),
    country: placeName(
      reconcile(xmpText(ps.Country), iimText(iim.Country), digest) ?? xmpText(locationCreated?.CountryName),
    ),
    countryCode: reconcile(xmpText(core.CountryCode), iimText(iim.CountryCode), digest)?.toUpperCase(),
    event: cleanText(xmpText(ext.Event)),
    eventIds: reconcileList(xmpList(ext.EventId), [], 'match'),
    keywords: reconcileList(xmpList(dc.subject), iimList(iim.Keywords), digest),
    objectName: reconcile(xmpText(dc.title), iimText(iim.ObjectName), digest),
    category: reconcile(xmpText(ps.Category), iimText(iim.Category), digest),
    supplementalCategories: reconcileList(
      xmpList(ps.SupplementalCategories),
      iimList(iim.SupplementalCategories),
      digest,
    ),
    transmissionReference: reconcile(
      xmpText(ps.TransmissionReference),
      iimText(iim.OriginalTransmissionReference),
      digest,
    ),
    specialInstructions: reconcile(xmpText(ps.Instructions), iimText(iim.SpecialInstructions), digest),
    urgency: parseUrgency(reconcile(xmpText(ps.Urgency), iimText(iim.Urgency), digest)),
    editStatus: cleanText(iimText(iim.EditStatus)),
    releaseDate: iimCaptureDate(iimText(iim.ReleaseDate), iimText(iim.ReleaseTime))?.iso,
    guid: cleanText(xmpText(ext.DigImageGUID)),
    orientation: typeof exif.Orientation === 'number' ? exif.Orientation : undefined,
    digitalSourceType: cleanText(xmpText(ext.DigitalSourceType)),
    aiSystemUsed: cleanText(xmpText(ext.AISystemUsed)),
    aiSystemVersionUsed: cleanText(xmpText(ext.AISystemVersionUsed)),
    aiPromptInformation: cleanText(xmpText(ext.AIPromptInformation)),
    aiPromptWriterName: cleanText(xmpText(ext.AIPromptWriterName)),
    dataMining: plusCode(plus.DataMining),
    copyrightOwners: xmpStructs(plus.CopyrightOwner)
      .map((o) => cleanText(xmpText(o.CopyrightOwnerName)))
      .filter((n): n is string => Boolean(n)),
    licensorUrl: xmpStructs(plus.Licensor)
      .map((l) => cleanText(xmpText(l.LicensorURL)))
      .find(Boolean),
    webStatement: cleanText(xmpText(rights.WebStatement)),
    modelReleaseStatus: plusCode(plus.ModelReleaseStatus),
    propertyReleaseStatus: plusCode(plus.PropertyReleaseStatus),
    expirationDate: iimCaptureDate(iimText(iim.ExpirationDate), iimText(iim.ExpirationTime))?.iso,
  };
  return dropUndefined(deriveCredit(metadata));
}

/**
 * Fills the derived credit fields from caption, credit and by-line: `creditLine` (as printed),
 * `parsedCredit`, the canonical `agency` and the `distributor` it came through.
 */
export function deriveCredit(m: PhotoMetadata): PhotoMetadata {
  const tailCredit = captionCredit(m.caption);
  const creditLine = tailCredit ?? formatCreditLine(m.credit, m.byline);
  const parsedCredit = parseCredit(creditLine);
  const agency =
    parsedCredit?.agency && canonicalAgency(parsedCredit.agency) !== undefined
      ? parsedCredit.agency
      : (canonicalAgency(m.credit) ?? canonicalAgency(m.source) ?? parsedCredit?.agency);
  return { ...m, creditLine, parsedCredit, agency, distributor: parsedCredit?.distributor };
}

/**
 * The embedded record with a sidecar's fields (NewsML-G2) supplied or overriding, then normalised
 * again: place-name casing and the derived credit fields follow the merged values.
 */
export function mergeMetadata(base: PhotoMetadata, override: Partial<PhotoMetadata>): PhotoMetadata {
  const merged: PhotoMetadata = { ...base };
  for (const [key, value] of Object.entries(override) as [keyof PhotoMetadata, unknown][]) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    (merged as Record<string, unknown>)[key] = typeof value === 'string' ? cleanText(value) : value;
  }
  for (const key of ['city', 'sublocation', 'provinceState', 'country'] as const)
    merged[key] = placeName(merged[key]);
  const { creditLine: _c, parsedCredit: _p, agency: _a, distributor: _d, ...rest } = merged;
  return dropUndefined(deriveCredit({ ...rest, keywords: merged.keywords ?? [] }));
}

function parseUrgency(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 9 ? n : undefined;
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    const v = value[key];
    if (v === undefined || (Array.isArray(v) && v.length === 0 && key !== 'keywords')) delete value[key];
  }
  return value;
}
