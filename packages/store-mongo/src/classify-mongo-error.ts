import { StoreError, isStoreError } from '@scim/core';
import { decodeFieldKey } from './field-key.js';

/** Prefix of the unique-attribute fields of a resource document (`_u.userName`). */
export const UNIQUE_FIELD = '_u';

const DUPLICATE_KEY = new Set([11000, 11001, 12582]);
const WRITE_CONFLICT = 112;
/** Server codes that mean "the deployment is not able to answer right now; try again". */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);
const RETRYABLE_LABELS = [
  'RetryableWriteError',
  'TransientTransactionError',
  'ResetPool',
  'PoolRequestedRetry',
];
const NETWORK_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/**
 * True for what the `mongodb` driver (or its BSON layer) throws: every driver error class is named
 * `Mongo...` (`MongoServerError`, `MongoNetworkError`, `MongoBulkWriteError`, ...) and BSON errors
 * `BSON...`. Anything else thrown inside a transaction callback is the caller's own error and must
 * reach the caller unchanged.
 */
export function isDriverError(cause: unknown): boolean {
  if (!(cause instanceof Error)) return false;
  return cause.name.startsWith('Mongo') || cause.name.startsWith('BSON');
}

/**
 * What `Store.transaction` rejects with: `ScimError`s, `StoreError`s and the callback's own errors
 * as they are, driver errors classified as `StoreError`s.
 */
export function toTransactionFailure(cause: unknown): unknown {
  if (isStoreError(cause) || !isDriverError(cause)) return cause;
  return classifyMongoError(cause);
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  codeName?: unknown;
  message?: unknown;
  keyPattern?: unknown;
  keyValue?: unknown;
  errorLabels?: unknown;
  hasErrorLabel?: unknown;
}

function hasLabel(error: ErrorLike, label: string): boolean {
  if (typeof error.hasErrorLabel === 'function') {
    return Boolean((error.hasErrorLabel as (label: string) => unknown).call(error, label));
  }
  return Array.isArray(error.errorLabels) && error.errorLabels.includes(label);
}

/** The attribute a duplicate-key error is about, from the key pattern or the server's message. */
function duplicateAttribute(error: ErrorLike): string | undefined {
  const keys = [
    ...(typeof error.keyPattern === 'object' && error.keyPattern !== null
      ? Object.keys(error.keyPattern)
      : []),
    ...(typeof error.keyValue === 'object' && error.keyValue !== null ? Object.keys(error.keyValue) : []),
  ];
  for (const key of keys) {
    if (key.startsWith(`${UNIQUE_FIELD}.`)) return decodeFieldKey(key.slice(UNIQUE_FIELD.length + 1));
  }
  // Older servers report only the message: "... index: unique_userName dup key: { ... }".
  const message = typeof error.message === 'string' ? error.message : '';
  const index = /index: unique_(\S+)/.exec(message)?.[1];
  if (index !== undefined) return decodeFieldKey(index);
  if (keys.includes('hash')) return 'hash';
  if (keys.includes('id') || keys.includes('_id')) return 'id';
  return undefined;
}

/**
 * Classifies anything the MongoDB driver throws as a `StoreError`: a duplicate key (11000) is a
 * `conflict` naming the unique attribute, a write conflict (112) a retryable `precondition_failed`,
 * network failures, elections and errors labelled retryable are retryable `unavailable`, and
 * anything else is a non-retryable `unavailable` that keeps the cause for the log. A `StoreError`
 * passes through unchanged.
 *
 * @example
 * try {
 *   await collection.insertOne(document);
 * } catch (cause) {
 *   throw classifyMongoError(cause);
 * }
 */
export function classifyMongoError(cause: unknown): StoreError {
  if (isStoreError(cause)) return cause;
  const error: ErrorLike = typeof cause === 'object' && cause !== null ? (cause as ErrorLike) : {};
  const code = typeof error.code === 'number' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : String(cause);

  if ((code !== undefined && DUPLICATE_KEY.has(code)) || error.codeName === 'DuplicateKey') {
    const attribute = duplicateAttribute(error);
    return new StoreError('conflict', {
      cause,
      ...(attribute === undefined ? {} : { attribute }),
      detail:
        attribute === undefined
          ? 'A unique value is already taken'
          : `The value of "${attribute}" is already taken by another resource`,
    });
  }
  if (code === WRITE_CONFLICT || error.codeName === 'WriteConflict') {
    return new StoreError('precondition_failed', {
      cause,
      retryable: true,
      detail: 'The resource was changed concurrently; retry the request',
    });
  }
  const name = typeof error.name === 'string' ? error.name : '';
  if (
    NETWORK_NAMES.has(name) ||
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    RETRYABLE_LABELS.some((label) => hasLabel(error, label))
  ) {
    return new StoreError('unavailable', {
      cause,
      retryable: true,
      detail: `MongoDB is unavailable: ${message}`,
    });
  }
  return new StoreError('unavailable', {
    cause,
    retryable: false,
    detail: `MongoDB operation failed: ${message}`,
  });
}
