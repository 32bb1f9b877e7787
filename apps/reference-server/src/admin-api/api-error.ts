import { isAdminError } from '../admin/admin-error.ts';

/** The JSON body of every admin API error: a stable code and a sentence that says what to fix. */
export interface ApiErrorBody {
  error: string;
  detail: string;
}

/**
 * An admin API refusal with its HTTP status, e.g. `new ApiError(400, 'invalid_body', 'name must be a string')`.
 * Thrown by request parsing and mapped to `{ error, detail }` by the handler.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** True for an {@link ApiError}, recognised by `name`. */
export function isApiError(error: unknown): error is ApiError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ApiError';
}

const ADMIN_STATUS = { invalid: 400, not_found: 404, conflict: 409 } as const;
const STORE_STATUS: Record<string, number> = {
  conflict: 409,
  not_found: 404,
  precondition_failed: 409,
  unavailable: 503,
};

/**
 * Maps an error to the status and body the admin API answers with, or `undefined` for an
 * unexpected error (which the handler logs and answers with a generic 500).
 */
export function toApiError(
  error: unknown,
): { status: number; body: ApiErrorBody; headers?: Record<string, string> } | undefined {
  if (isApiError(error)) {
    return {
      status: error.status,
      body: { error: error.code, detail: error.message },
      headers: error.headers,
    };
  }
  if (isAdminError(error)) {
    return { status: ADMIN_STATUS[error.reason], body: { error: error.reason, detail: error.message } };
  }
  const named = error as {
    name?: unknown;
    status?: unknown;
    scimType?: unknown;
    reason?: unknown;
    message?: unknown;
  };
  if (
    typeof error === 'object' &&
    error !== null &&
    named.name === 'ScimError' &&
    typeof named.status === 'number'
  ) {
    const status = named.status >= 400 && named.status < 500 ? named.status : 500;
    if (status === 500) return undefined;
    return {
      status,
      body: {
        error: typeof named.scimType === 'string' ? named.scimType : 'invalid',
        detail: String(named.message),
      },
    };
  }
  if (
    typeof error === 'object' &&
    error !== null &&
    named.name === 'StoreError' &&
    typeof named.reason === 'string'
  ) {
    const status = STORE_STATUS[named.reason];
    if (status === undefined) return undefined;
    const detail =
      named.reason === 'unavailable'
        ? 'The store is unavailable; try again shortly.'
        : named.reason === 'precondition_failed'
          ? 'The data changed while you were editing it; reload and try again.'
          : String(named.message);
    return { status, body: { error: named.reason, detail } };
  }
  return undefined;
}
