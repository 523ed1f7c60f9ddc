import { createHash } from 'node:crypto';
import { type GalleryIndexEntry, type GalleryManifest, objectKeys } from '@lightbox/contracts';
import {
  buildIndex,
  type GalleryUrls,
  galleriesJsonFeed,
  galleriesRssFeed,
  galleryJsonFeed,
  galleryRssFeed,
  indexEntry,
} from './feeds.js';

/** Short cache life: galleries change as photos arrive; downstream revalidates with the ETag. */
export const GALLERY_CACHE_CONTROL = 'public, max-age=15, must-revalidate';
/** A final gallery (closed story) no longer changes except for kills: cache longer. */
export const FINAL_GALLERY_CACHE_CONTROL = 'public, max-age=300, must-revalidate';

const JSON_TYPE = 'application/json; charset=utf-8';
const FEED_JSON_TYPE = 'application/feed+json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';

/** One object to write to storage, and what it says apart from its stamp (version, time). */
export interface PublishedObject {
  key: string;
  body: string;
  contentType: string;
  cacheControl: string;
  /**
   * A digest of the object as built without its stamp: equal digests mean the object says the same
   * thing, so a writer that kept the last digest written can skip it.
   */
  digest: string;
}

/** Maps a storage key to its public URL (`ObjectStore.publicUrl`). */
export type PublicUrl = (key: string) => string;

/** A gallery's objects: its manifest, its feeds, and its entry in the gallery index. */
export interface GalleryObjects {
  manifest: PublishedObject;
  feeds: PublishedObject[];
  entry: GalleryIndexEntry;
  urls: GalleryUrls;
}

/** The gallery index and the all-galleries feeds. */
export interface IndexObjects {
  index: PublishedObject;
  feeds: PublishedObject[];
  /**
   * A digest of which galleries the index lists, with their headline, cover and finality: what a
   * reader must see at once (a new gallery, a cover taken down), unlike counts and times.
   */
  shape: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const digestOf = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('base64url').slice(0, 16);
};
const UNSTAMPED = new Date(0);
const publishedObject = (
  key: string,
  body: string,
  contentType: string,
  cacheControl: string,
  digest: string,
): PublishedObject => ({ key, body, contentType, cacheControl, digest });

export function galleryUrls(publicUrl: PublicUrl, storyId: string): GalleryUrls {
  return {
    manifest: publicUrl(objectKeys.gallery(storyId)),
    jsonFeed: publicUrl(objectKeys.galleryFeed(storyId, 'json')),
    rssFeed: publicUrl(objectKeys.galleryFeed(storyId, 'xml')),
  };
}

function galleryBodies(manifest: GalleryManifest, urls: GalleryUrls): [string, string, string] {
  return [json(manifest), json(galleryJsonFeed(manifest, urls)), galleryRssFeed(manifest, urls)];
}

/** Builds a gallery's manifest and feeds as objects to write, with its index entry. */
export function galleryObjects(manifest: GalleryManifest, publicUrl: PublicUrl): GalleryObjects {
  const { storyId } = manifest;
  const urls = galleryUrls(publicUrl, storyId);
  const cacheControl = manifest.final ? FINAL_GALLERY_CACHE_CONTROL : GALLERY_CACHE_CONTROL;
  const [manifestBody, jsonFeed, rssFeed] = galleryBodies(manifest, urls);
  const [m, j, r] = galleryBodies({ ...manifest, version: 0, updatedAt: UNSTAMPED.toISOString() }, urls);
  const object = (key: string, body: string, contentType: string, digest: string) =>
    publishedObject(key, body, contentType, cacheControl, digest);
  return {
    manifest: object(objectKeys.gallery(storyId), manifestBody, JSON_TYPE, digestOf(m)),
    feeds: [
      object(objectKeys.galleryFeed(storyId, 'json'), jsonFeed, FEED_JSON_TYPE, digestOf(j)),
      object(objectKeys.galleryFeed(storyId, 'xml'), rssFeed, RSS_TYPE, digestOf(r)),
    ],
    entry: indexEntry(manifest, urls.manifest),
    urls,
  };
}

function indexBodies(
  entries: GalleryIndexEntry[],
  now: Date,
  publicUrl: PublicUrl,
): [string, string, string] {
  const index = buildIndex(entries, now);
  return [
    json(index),
    json(galleriesJsonFeed(index, publicUrl(objectKeys.galleriesFeed('json')))),
    galleriesRssFeed(index, publicUrl(objectKeys.galleriesFeed('xml')), publicUrl(objectKeys.galleryIndex)),
  ];
}

/** Builds `galleries/index.json` and the all-galleries feeds from the galleries' entries. */
export function indexObjects(entries: GalleryIndexEntry[], now: Date, publicUrl: PublicUrl): IndexObjects {
  const [index, jsonFeed, rssFeed] = indexBodies(entries, now, publicUrl);
  const [i, j, r] = indexBodies(entries, UNSTAMPED, publicUrl);
  const object = (key: string, body: string, contentType: string, digest: string) =>
    publishedObject(key, body, contentType, GALLERY_CACHE_CONTROL, digest);
  const shape = [...entries]
    .sort((a, b) => a.storyId.localeCompare(b.storyId))
    .map((e) => [e.storyId, e.headline, e.final, e.cover?.photoId ?? '', e.cover?.url ?? ''].join('\t'));
  return {
    index: object(objectKeys.galleryIndex, index, JSON_TYPE, digestOf(i)),
    feeds: [
      object(objectKeys.galleriesFeed('json'), jsonFeed, FEED_JSON_TYPE, digestOf(j)),
      object(objectKeys.galleriesFeed('xml'), rssFeed, RSS_TYPE, digestOf(r)),
    ],
    shape: digestOf(...shape),
  };
}

/** What a writer kept of its last writes in one scope (a gallery, or the index), as stored. */
export interface WrittenRecord {
  /** Object key → digest of what it holds. */
  digests: Record<string, string>;
  /** When the refreshed objects (feeds, the index) were last written, ms. */
  refreshedAt?: number;
  /** The index's shape when last written. */
  shape?: string;
}

/** When refreshed objects may be written: at most every `refreshMs`; at once when `urgent`. */
export interface RefreshRule {
  now: number;
  /** 0: with every publish. */
  refreshMs: number;
  /** A take-down waits: everything that changed is written now. */
  urgent: boolean;
}

/** What to write now, in this order, and what waits for its refresh. */
export interface WritePlan {
  write: PublishedObject[];
  /** Changed objects that wait until `dueAt`. */
  deferred: PublishedObject[];
  dueAt: number;
  /** The fields to record once every object of `write` is written. */
  record: Record<string, string>;
}

const REFRESHED_AT = 'refreshedAt';
const SHAPE = 'shape';

/** The record as stored (a flat hash) → its parts. */
export function readWritten(fields: Record<string, string>): WrittenRecord {
  const { [REFRESHED_AT]: at, [SHAPE]: shape, ...digests } = fields;
  return { digests, refreshedAt: at === undefined ? undefined : Number(at), shape };
}

function plan(
  immediate: PublishedObject[],
  refreshed: PublishedObject[],
  written: WrittenRecord,
  rule: RefreshRule,
  refreshNow: boolean,
): WritePlan {
  const changed = (o: PublishedObject) => written.digests[o.key] !== o.digest;
  const dueAt = written.refreshedAt === undefined ? rule.now : written.refreshedAt + rule.refreshMs;
  const due = refreshNow || rule.urgent || rule.now >= dueAt;
  const refresh = refreshed.filter(changed);
  const write = [...immediate.filter(changed), ...(due ? refresh : [])];
  const record: Record<string, string> = Object.fromEntries(write.map((o) => [o.key, o.digest]));
  if (due && refresh.length > 0) record[REFRESHED_AT] = String(rule.now);
  return { write, deferred: due ? [] : refresh, dueAt, record };
}

/**
 * A gallery's writes: the manifest whenever it says something new (it is what downstream sites show,
 * and what a photo's publication means); the feeds follow it, at most every `refreshMs` (feed readers
 * poll), at once the first time and when a take-down waits. Unchanged objects are never rewritten.
 * Order: the manifest, then the feeds that list what it shows.
 */
export function planGalleryWrites(
  objects: GalleryObjects,
  written: WrittenRecord,
  rule: RefreshRule,
): WritePlan {
  return plan([objects.manifest], objects.feeds, written, rule, false);
}

/**
 * The index's writes: `index.json` and the all-galleries feeds together, when they changed, at most
 * every `refreshMs`, at once when the shape changed (a gallery appeared or went, a headline, cover or
 * finality changed) or a take-down waits. Order: the index, then the feeds.
 */
export function planIndexWrites(objects: IndexObjects, written: WrittenRecord, rule: RefreshRule): WritePlan {
  const shapeChanged = written.shape !== objects.shape;
  const planned = plan([], [objects.index, ...objects.feeds], written, rule, shapeChanged);
  if (planned.write.length > 0) planned.record[SHAPE] = objects.shape;
  return planned;
}
