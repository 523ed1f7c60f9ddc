import type { PhotoMetadata } from '@lightbox/contracts';

/** What kind of identifier tied a photo to a story. */
export type KeyKind = 'event id' | 'job id' | 'picture guid';

/** One identifier a photo carries, as written. */
export interface PhotoKey {
  kind: KeyKind;
  value: string;
}

/** Keys compare trimmed and case-insensitively ("NYJW101" = "nyjw101"). */
export function normaliseKey(key: string): string {
  return key.trim().toLowerCase();
}

/**
 * The vocabulary a key belongs to: a qcode's scheme (`gyimeid` of `gyimeid:104530187`), a URL's
 * host, a NewsML URN's provider (`urn:newsml:ap.org`), another URN's namespace, a tag URI's
 * authority; undefined for plain ids ("LON-NYE-24").
 */
export function keyScheme(key: string): string | undefined {
  const k = normaliseKey(key);
  const url = /^https?:\/\/([^/?#]+)/.exec(k);
  if (url) return url[1];
  const parts = k.split(':');
  if (parts.length < 2 || parts[0] === '') return undefined;
  if (parts[0] === 'urn') return parts.slice(0, parts[1] === 'newsml' ? 3 : 2).join(':');
  if (parts[0] === 'tag') return `tag:${(parts[1] ?? '').split(',')[0]}`;
  return parts[0];
}

/**
 * The exact keys a photo carries: its event ids (XMP Iptc4xmpExt:EventId, NewsML-G2 event
 * subjects), its agency job id (IIM 2:103 Original Transmission Reference) and its own guid
 * (which a story's associations list).
 */
export function photoKeys(
  photo: Pick<PhotoMetadata, 'eventIds' | 'transmissionReference' | 'guid'>,
): PhotoKey[] {
  const keys: PhotoKey[] = [];
  const add = (kind: KeyKind, value: string | undefined) => {
    if (value && value.trim() !== '' && !keys.some((k) => normaliseKey(k.value) === normaliseKey(value)))
      keys.push({ kind, value: value.trim() });
  };
  for (const id of photo.eventIds ?? []) add('event id', id);
  add('job id', photo.transmissionReference);
  add('picture guid', photo.guid);
  return keys;
}
