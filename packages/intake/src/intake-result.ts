import type { PhotoStatus, VersionKind, VersionOutcome } from '@lightbox/contracts';

/** What intake answers for one transmission (the API's body, the hot folder's and S3 inbox's move). */
export interface IntakeResult {
  photoId: string;
  status: PhotoStatus;
  duplicate: boolean;
  /** The photo's version this transmission became (1 for a new photo). */
  version?: number;
  kind?: VersionKind;
  /** Why the input was rejected (`code: message`), when `status` is `rejected`. */
  reason?: string;
  /** What became of the transmission: current version, superseded, recorded on a killed photo, or a kill. */
  outcome?: VersionOutcome;
}

/**
 * Whether the transmission was refused as sent — its bytes cannot be used or its claim was
 * refused (`reason` says why) — including a resend of such bytes. Every route answers these the
 * same way: HTTP 422/409, the hot folder's and S3 inbox's `_error/` with the reason.
 */
export const transmissionRefused = (result: IntakeResult): boolean =>
  result.status === 'rejected' || result.outcome === 'rejected';
