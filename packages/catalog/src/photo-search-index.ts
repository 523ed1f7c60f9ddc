import { createHash } from 'node:crypto';
import {
  captureInstant,
  PHOTO_STATUSES,
  type Photo,
  type PhotoMetadata,
  type PhotoStatus,
  type PhotoVersion,
} from '@lightbox/contracts';
import type { ChainableCommander, Redis } from 'ioredis';
import { SEQ_BUCKET, type StateKeys } from './keys.js';
import { ASSIGN_SEQ, IDS_OF_SEQS, SEARCH_IN_STORY } from './scripts.js';
import { agencyKey, photoSearchTerms, searchAgency, searchTerms } from './search-terms.js';

export interface PhotoQuery {
  /** Words that must all occur in the caption, credit, byline, event, places or keywords. */
  text?: string;
  status?: PhotoStatus;
  agency?: string;
  storyId?: string;
  /** Capture time range (epoch ms), inclusive. */
  fromMs?: number;
  toMs?: number;
  offset?: number;
  limit?: number;
}

export interface PhotoPage {
  total: number;
  ids: string[];
}

/**
 * The photos' search index in Redis: each photo's number (given on first use) in integer sets per
 * word, agency and status, and in a sorted set by capture time; queries intersect them in Redis.
 */
export class PhotoSearchIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /**
   * Files the photo under its words (and those of `versions`' captions), agency and capture time
   * for search (additive; cheap). Word and agency sets hold the photo's number, given on first use.
   */
  async index(
    photoId: string,
    metadata: PhotoMetadata,
    versions: readonly Pick<PhotoVersion, 'caption'>[] = [],
  ): Promise<void> {
    const seq = await this.seqOf(photoId);
    if (seq === 0) return;
    const tx = this.redis.multi();
    for (const term of indexedTerms(metadata, versions)) tx.sadd(this.keys.searchWord(term), String(seq));
    const agency = searchAgency(metadata);
    if (agency) tx.sadd(this.keys.searchAgency(agency), String(seq));
    const captured = captureInstant(metadata.dateCreated);
    if (captured !== undefined) tx.zadd(this.keys.searchCapture, String(captured), String(seq));
    await tx.exec();
  }

  /** The photo's number in the search index, given on first use (0: no such record). */
  private async seqOf(photoId: string): Promise<number> {
    const n = await this.redis.eval(
      ASSIGN_SEQ,
      2,
      this.keys.photo(photoId),
      this.keys.photoSeq,
      photoId,
      this.keys.prefix,
      SEQ_BUCKET,
    );
    return Number(n);
  }

  /** Adds to `tx` the removal of every search entry that names the photo (eviction). */
  unindex(tx: ChainableCommander, photo: Photo, versions: readonly Pick<PhotoVersion, 'caption'>[]): void {
    const seq = photo.seq;
    if (seq === undefined) return;
    const n = String(seq);
    for (const term of indexedTerms(photo.metadata, versions)) tx.srem(this.keys.searchWord(term), n);
    const agency = photo.metadata ? searchAgency(photo.metadata) : undefined;
    if (agency) tx.srem(this.keys.searchAgency(agency), n);
    for (const status of PHOTO_STATUSES) tx.srem(this.keys.searchStatus(status), n);
    tx.zrem(this.keys.searchCapture, n);
    tx.hdel(this.keys.photoBySeq(seq), String(seq % SEQ_BUCKET));
  }

  /**
   * Search by words, status, agency, story and capture range, newest first (by arrival, or by
   * capture time for a range), paged. Words, agency and status narrow by photo number in integer
   * sets, a capture range by a sorted set of numbers, all intersected in Redis; a story's photos
   * are checked one by one (a gallery's worth). Results are cached for 30 s per query so paging
   * does not redo them; only the page's numbers are turned into ids. Never a scan of all photos.
   */
  async search(query: PhotoQuery): Promise<PhotoPage> {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.min(200, Math.max(1, query.limit ?? 50));
    const ranged = query.fromMs !== undefined || query.toMs !== undefined;
    const max = query.toMs ?? '+inf';
    const min = query.fromMs ?? '-inf';
    const words = [
      ...searchTerms(query.text, 12).map((t) => this.keys.searchWord(t)),
      ...(query.agency ? [this.keys.searchAgency(agencyKey(query.agency))] : []),
    ];
    const numbered = [...words, ...(query.status ? [this.keys.searchStatus(query.status)] : [])];
    if (!query.storyId && words.length === 0 && !ranged)
      return newestFirst(
        this.redis,
        query.status ? this.keys.photosByStatus(query.status) : this.keys.photosByTime,
        offset,
        limit,
      );
    const result = this.keys.searchResult(
      createHash('sha256')
        .update(JSON.stringify([ranged, query.storyId ?? '', ...numbered]))
        .digest('hex')
        .slice(0, 32),
    );
    const cached = await this.redis.exists(result);
    if (query.storyId) {
      // Ids in the result, scored by arrival (or capture time for a range).
      const primary = ranged ? this.keys.searchCapture : this.keys.photosByTime;
      if (!cached)
        await this.redis.eval(
          SEARCH_IN_STORY,
          3 + numbered.length,
          result,
          this.keys.storyPhotos(query.storyId),
          primary,
          ...numbered,
          this.keys.prefix,
          ranged ? '1' : '0',
        );
      return this.rangePage(result, min, max, offset, limit);
    }
    if (ranged && numbered.length === 0) {
      const [total, seqs] = await Promise.all([
        this.redis.zcount(this.keys.searchCapture, min, max),
        this.redis.zrevrangebyscore(this.keys.searchCapture, max, min, 'LIMIT', offset, limit),
      ]);
      return { total, ids: await this.idsOf(seqs) };
    }
    if (ranged) {
      // Numbers in the result, scored by capture time.
      if (!cached)
        await this.redis
          .multi()
          .zinterstore(
            result,
            1 + numbered.length,
            this.keys.searchCapture,
            ...numbered,
            'WEIGHTS',
            1,
            ...numbered.map(() => 0),
          )
          .expire(result, 30)
          .exec();
      const [total, seqs] = await Promise.all([
        this.redis.zcount(result, min, max),
        this.redis.zrevrangebyscore(result, max, min, 'LIMIT', offset, limit),
      ]);
      return { total, ids: await this.idsOf(seqs) };
    }
    // Numbers in the result; newest first is the highest number (numbers follow arrival).
    if (!cached)
      await this.redis
        .multi()
        .sinterstore(result, ...numbered)
        .expire(result, 30)
        .exec();
    const [total, seqs] = await Promise.all([
      this.redis.scard(result),
      this.redis.sort(result, 'DESC', 'LIMIT', offset, limit) as Promise<string[]>,
    ]);
    return { total, ids: await this.idsOf(seqs) };
  }

  private async rangePage(
    key: string,
    min: number | string,
    max: number | string,
    offset: number,
    limit: number,
  ): Promise<PhotoPage> {
    const [total, ids] = await Promise.all([
      this.redis.zcount(key, min, max),
      this.redis.zrevrangebyscore(key, max, min, 'LIMIT', offset, limit),
    ]);
    return { total, ids };
  }

  /** Photo ids of photo numbers, in their order (numbers no photo has any more are left out). */
  private async idsOf(seqs: string[]): Promise<string[]> {
    if (seqs.length === 0) return [];
    const ids = (await this.redis.eval(IDS_OF_SEQS, 0, this.keys.prefix, SEQ_BUCKET, ...seqs)) as string[];
    return ids.filter(Boolean);
  }
}

/** A sorted set's members, highest score (newest) first, paged, with its size. */
export async function newestFirst(
  redis: Redis,
  key: string,
  offset: number,
  limit: number,
): Promise<PhotoPage> {
  const [total, ids] = await Promise.all([
    redis.zcard(key),
    redis.zrevrange(key, offset, offset + limit - 1),
  ]);
  return { total, ids };
}

/** The words a photo is found by: its metadata's, and every caption it was sent with. */
function indexedTerms(
  metadata: PhotoMetadata | undefined,
  versions: readonly Pick<PhotoVersion, 'caption'>[],
): Set<string> {
  return new Set([
    ...(metadata ? photoSearchTerms(metadata) : []),
    ...versions.flatMap((v) => (v.caption ? searchTerms(v.caption) : [])),
  ]);
}
