import {
  FORMAT_EXTENSIONS,
  type MatchResult,
  objectKeys,
  type Photo,
  type PhotoMetadata,
  type PhotoProvenance,
  type PhotoVersion,
  type Rendition,
} from '@lightbox/contracts';
import type { StateCommit } from './state-commit.js';

/**
 * How a photo record is stored: one Redis hash per photo, every field JSON-encoded (the hash
 * stays a compact listpack). `rev` is the exception: a plain integer the commit script bumps.
 *
 * Schema 3 stores the bulky fields without what can be derived (`encodeField`): renditions as
 * `[name, width, height, format, bytes]` (the key follows from the photo id, name and format), a
 * match candidate's reasons only when they differ from the decision's, metadata under short field
 * codes and a parsed credit's `raw` only when it differs from the credit line, `hasPicture` only
 * when false, C2PA credentials that are absent as `"absent"`. `decodePhoto` reads both this and the earlier form, so
 * records written by schema 2 need no rewrite: each field takes the new form when next written.
 */
export function encodePhoto(photo: Partial<Photo>, photoId: string): string[] {
  const args: string[] = [];
  for (const [field, value] of Object.entries(photo)) {
    if (value === undefined || field === 'rev' || isDefault(field, value)) continue;
    args.push(field, JSON.stringify(encodeField(field, value, photoId)));
  }
  return args;
}

/** A value a record holds by leaving the field out: `hasPicture` is true unless it says false. */
const isDefault = (field: string, value: unknown) => field === 'hasPicture' && value === true;

/** A rendition as stored: its key only when it is not the one its photo id, name and format give. */
type StoredRendition =
  | [string, number, number, string, number]
  | [string, number, number, string, number, string];

function encodeField(field: string, value: unknown, photoId: string): unknown {
  switch (field) {
    case 'renditions':
      return (value as Rendition[]).map((r): StoredRendition => {
        const row: StoredRendition = [r.name, r.width, r.height, r.format, r.bytes];
        return r.key === renditionKey(photoId, r.name, r.format) ? row : [...row, r.key];
      });
    case 'match': {
      const m = value as MatchResult;
      return {
        ...m,
        candidates: m.candidates.map((c) =>
          sameList(c.reasons, m.reasons) ? { storyId: c.storyId, score: c.score } : c,
        ),
      };
    }
    case 'provenance': {
      // Most wire photos carry no Content Credentials: that record in one word.
      const p = value as PhotoProvenance;
      return isAbsentC2pa(p.c2pa) ? { ...p, c2pa: 'absent' } : p;
    }
    case 'metadata':
    case 'sidecar': {
      const m = value as Partial<PhotoMetadata>;
      if (m.parsedCredit?.raw === undefined || m.parsedCredit.raw !== m.creditLine) return shortNames(m);
      const { raw: _raw, ...parsed } = m.parsedCredit;
      return shortNames({ ...m, parsedCredit: parsed });
    }
    default:
      return value;
  }
}

/**
 * Short stored names of metadata fields: codes that start with a digit, which no field name does,
 * so a name not listed (a field added later) is stored as it is. Append only: a code, once
 * written, keeps its meaning.
 */
const METADATA_FIELDS = [
  'caption',
  'headline',
  'credit',
  'creditLine',
  'byline',
  'bylineTitle',
  'source',
  'copyright',
  'usageTerms',
  'dateCreated',
  'dateZone',
  'city',
  'sublocation',
  'provinceState',
  'country',
  'countryCode',
  'event',
  'eventIds',
  'keywords',
  'objectName',
  'category',
  'supplementalCategories',
  'transmissionReference',
  'specialInstructions',
  'urgency',
  'agency',
  'parsedCredit',
  'guid',
  'itemVersion',
  'pubStatus',
  'editStatus',
  'releaseDate',
  'width',
  'height',
  'orientation',
  'digitalSourceType',
  'aiSystemUsed',
  'aiSystemVersionUsed',
  'aiPromptInformation',
  'aiPromptWriterName',
  'dataMining',
  'copyrightOwners',
  'licensorUrl',
  'webStatement',
  'modelReleaseStatus',
  'propertyReleaseStatus',
  'expirationDate',
  'distributor',
] as const;
const CODE_OF = new Map<string, string>(METADATA_FIELDS.map((name, i) => [name, `${i}`]));
const NAME_OF = new Map<string, string>(METADATA_FIELDS.map((name, i) => [`${i}`, name]));

function shortNames(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(m)) out[CODE_OF.get(name) ?? name] = value;
  return out;
}

function longNames(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(m)) out[NAME_OF.get(name) ?? name] = value;
  return out;
}

function decodeField(field: string, value: unknown, photoId: string): unknown {
  switch (field) {
    case 'renditions':
      return (value as (Rendition | StoredRendition)[]).map((r) =>
        Array.isArray(r)
          ? {
              name: r[0],
              key: r[5] ?? renditionKey(photoId, r[0], r[3]),
              width: r[1],
              height: r[2],
              format: r[3],
              bytes: r[4],
            }
          : r,
      );
    case 'match': {
      const m = value as MatchResult;
      return {
        ...m,
        candidates: m.candidates.map((c) => (c.reasons === undefined ? { ...c, reasons: m.reasons } : c)),
      };
    }
    case 'provenance': {
      const p = value as Omit<PhotoProvenance, 'c2pa'> & { c2pa: PhotoProvenance['c2pa'] | 'absent' };
      return p.c2pa === 'absent' ? { ...p, c2pa: { ...ABSENT_C2PA, actions: [] } } : p;
    }
    case 'metadata':
    case 'sidecar': {
      const m = longNames(value as Record<string, unknown>) as Partial<PhotoMetadata>;
      if (!m.parsedCredit || m.parsedCredit.raw !== undefined || m.creditLine === undefined) return m;
      return { ...m, parsedCredit: { ...m.parsedCredit, raw: m.creditLine } };
    }
    default:
      return value;
  }
}

/** The C2PA record of an asset without Content Credentials (and without a remote manifest). */
const ABSENT_C2PA = { state: 'absent', trusted: false, actions: [], ingredients: 0 } as const;
const isAbsentC2pa = (c: PhotoProvenance['c2pa']) => JSON.stringify(c) === JSON.stringify(ABSENT_C2PA);

const renditionKey = (photoId: string, name: string, format: string) =>
  objectKeys.rendition(photoId, name, FORMAT_EXTENSIONS[format as keyof typeof FORMAT_EXTENSIONS] ?? format);

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Statuses of earlier releases, read as today's (`processing` was `received` with its metadata read). */
const LEGACY_STATUSES: Record<string, Photo['status']> = { processing: 'received' };

export function decodePhoto(hash: Record<string, string>): Photo | undefined {
  if (!hash.photoId) return undefined;
  const photoId = JSON.parse(hash.photoId) as string;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(hash))
    out[field] = decodeField(field, JSON.parse(value), photoId);
  const status = out.status as string;
  if (LEGACY_STATUSES[status]) out.status = LEGACY_STATUSES[status];
  out.hasPicture ??= true;
  return out as unknown as Photo;
}

/**
 * A history entry as stored (schema 3): short field names, `"version"` first (the commit script
 * numbers an entry by replacing `"version":0`). `decodeVersion` also reads the long names of
 * schema 2.
 */
const VERSION_FIELDS = {
  sha256: 's',
  originalKey: 'o',
  receivedAt: 't',
  feed: 'f',
  filename: 'n',
  route: 'r',
  caption: 'c',
  kind: 'k',
  outcome: 'x',
  itemVersion: 'i',
  embargoUntil: 'e',
  reason: 'w',
  rejection: 'j',
  manifestStoreKey: 'p',
} as const satisfies Record<Exclude<keyof PhotoVersion, 'version'>, string>;
const VERSION_NAMES = Object.fromEntries(
  Object.entries(VERSION_FIELDS).map(([long, short]) => [short, long]),
);

/**
 * `recordCaption`: the caption the record holds when this entry is its current version. An entry
 * whose caption is that one says so (`"m":1`) instead of repeating it; when another version becomes
 * current, the lifecycle writes the caption into the entry (`withOwnCaption`).
 */
export function encodeVersion(
  entry: Omit<PhotoVersion, 'version'> & { version?: number },
  recordCaption?: string,
): string {
  const stored: Record<string, unknown> = { version: entry.version ?? 0 };
  const byReference = entry.caption !== undefined && entry.caption === recordCaption;
  for (const [field, short] of Object.entries(VERSION_FIELDS)) {
    const value = entry[field as keyof typeof VERSION_FIELDS];
    if (value !== undefined && !(field === 'caption' && byReference)) stored[short] = value;
  }
  if (byReference) stored.m = 1;
  return JSON.stringify(stored);
}

/** `recordCaption`: the caption the record holds (for an entry that refers to it). */
export function decodeVersion(json: string, recordCaption?: string): PhotoVersion {
  const stored = JSON.parse(json) as Record<string, unknown>;
  if ('sha256' in stored) return stored as unknown as PhotoVersion;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stored)) {
    if (field === 'm') continue;
    out[VERSION_NAMES[field] ?? field] = value;
  }
  if (stored.m === 1 && recordCaption !== undefined) out.caption = recordCaption;
  return out as unknown as PhotoVersion;
}

/**
 * A stored entry that refers to the record's caption, with that caption written into it (its
 * version stops being current); undefined when it carries its own already.
 */
export function withOwnCaption(json: string, recordCaption: string | undefined): string | undefined {
  const stored = JSON.parse(json) as Record<string, unknown>;
  if (stored.m !== 1) return undefined;
  const { m: _m, ...rest } = stored;
  return JSON.stringify(recordCaption === undefined ? rest : { ...rest, c: recordCaption });
}

/** The caption a stored record holds (its `metadata` field as stored), for `decodeVersion`. */
export function storedCaption(metadataField: string | null | undefined): string | undefined {
  if (!metadataField) return undefined;
  return (decodeField('metadata', JSON.parse(metadataField), '') as Partial<PhotoMetadata>).caption;
}

/** Fields a stage or editor may set directly; the status and its companions belong to the lifecycle. */
export type LifecycleField =
  | 'status'
  | 'killed'
  | 'expired'
  | 'embargoUntil'
  | 'embargoReleased'
  | 'hold'
  | 'waitingSince'
  | 'waitedMs'
  | 'rev';
export type PhotoFieldsPatch = { [K in Exclude<keyof Photo, LifecycleField>]?: Photo[K] | null };

/** Adds a patch's writes to a commit: fields set, `null` fields removed, the revision bumped. */
export function patchPhoto(
  commit: StateCommit,
  key: string,
  patch: Record<string, unknown>,
  photoId: string,
): void {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === null || isDefault(field, value)) remove.push(field);
    else if (value !== undefined) set[field] = value;
  }
  commit
    .hdel(key, remove)
    .hset(key, encodePhoto(set as Partial<Photo>, photoId))
    .bump(key);
}

/** The revision as the commit script sees it ('' for a record written before revisions). */
export const rawRev = (photo: Photo) => (photo.rev === undefined ? '' : String(photo.rev));
