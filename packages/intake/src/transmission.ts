import type { IntakeRoute, Photo } from '@lightbox/contracts';
import type { AcceptOptions, IntakeSource } from './photo-intake.js';
import type { ReceivedOriginal } from './receive.js';
import { photoIdFor } from './sniff.js';

/** One transmission being accepted, as received. */
export interface Transmission {
  file: ReceivedOriginal;
  source: IntakeSource;
  options: AcceptOptions;
  sidecarBytes: Buffer | undefined;
  fingerprint: string;
  now: string;
  filename: string | undefined;
}

/** A history entry's fields common to every outcome. */
export type EntryBase = {
  sha256: string;
  originalKey: string;
  receivedAt: string;
  feed: string;
  filename: string | undefined;
  route?: IntakeRoute;
};

/**
 * The transmission's own fields: the record one that is not taken gets (rejected), and the
 * history entry every outcome starts from.
 */
export function transmissionBase(t: Transmission): { photo: Photo; entry: EntryBase } {
  const { file, source, now, filename } = t;
  const photo: Photo = {
    photoId: photoIdFor(t.fingerprint),
    status: 'rejected',
    feed: source.feed,
    sha256: file.sha256,
    originalKey: '',
    contentType: file.format?.contentType ?? 'application/octet-stream',
    bytes: file.size,
    filename,
    receivedAt: now,
    updatedAt: now,
    version: 1,
  };
  const entry = {
    sha256: file.sha256,
    originalKey: '',
    receivedAt: now,
    feed: source.feed,
    filename,
    ...(source.route ? { route: source.route } : {}),
  };
  return { photo, entry };
}
