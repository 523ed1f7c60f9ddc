/** Body of every API error: `{"error":{"code","message"}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * A problem with the input itself (not with Lightbox). Retrying cannot help: the photo is
 * marked `rejected` with `reason` and the job fails without further attempts.
 */
export class RejectedInputError extends Error {
  override readonly name = 'RejectedInputError';
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}
