/** Why a store operation failed. */
export type StoreErrorReason = 'conflict' | 'not_found' | 'precondition_failed' | 'unavailable';

/**
 * A storage failure, classified so the protocol layer can answer with the right status:
 * `conflict` -> 409 uniqueness, `not_found` -> 404, `precondition_failed` -> 412,
 * `unavailable` -> 503 (retryable).
 *
 * @example
 * throw new StoreError('precondition_failed', { detail: 'version 3 expected, found 4' });
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly reason: StoreErrorReason;
  readonly retryable: boolean;
  /** For `conflict`: the attribute whose uniqueness was violated, when known. */
  readonly attribute: string | undefined;

  constructor(
    reason: StoreErrorReason,
    options: { detail?: string; retryable?: boolean; cause?: unknown; attribute?: string } = {},
  ) {
    super(options.detail ?? reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.retryable = options.retryable ?? reason === 'unavailable';
    this.attribute = options.attribute;
  }
}

/** True for a `StoreError`, recognised by `name`. */
export function isStoreError(error: unknown): error is StoreError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'StoreError';
}
