import type { Photo } from '@lightbox/contracts';
import type { StateCommit } from './state-commit.js';

/**
 * How a photo record is stored: one Redis hash per photo, every field JSON-encoded (the hash
 * stays a compact listpack). `rev` is the exception: a plain integer the commit script bumps.
 */
export function encodePhoto(photo: Partial<Photo>): string[] {
  const args: string[] = [];
  for (const [field, value] of Object.entries(photo)) {
    if (value === undefined || field === 'rev') continue;
    args.push(field, JSON.stringify(value));
  }
  return args;
}

/** Statuses of earlier releases, read as today's (`processing` was `received` with its metadata read). */
const LEGACY_STATUSES: Record<string, Photo['status']> = { processing: 'received' };

export function decodePhoto(hash: Record<string, string>): Photo | undefined {
  if (!hash.photoId) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(hash)) out[field] = JSON.parse(value);
  const status = out.status as string;
  if (LEGACY_STATUSES[status]) out.status = LEGACY_STATUSES[status];
  return out as unknown as Photo;
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
export function patchPhoto(commit: StateCommit, key: string, patch: Record<string, unknown>): void {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) remove.push(field);
    else if (value !== undefined) set[field] = value;
  }
  commit
    .hdel(key, remove)
    .hset(key, encodePhoto(set as Partial<Photo>))
    .bump(key);
}
