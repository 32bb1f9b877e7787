import { ERROR_SCHEMA, isScimError, isStoreError } from '@scim/core';
import type { Logger } from 'pino';
import type { ScimResponse } from '../types.js';
import { jsonResponse } from './responses.js';

/** Seconds a client should wait after a 503 from an unavailable store. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function errorBody(status: number, detail: string, scimType?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [ERROR_SCHEMA], status: String(status), detail };
  if (scimType !== undefined) body.scimType = scimType;
  return body;
}

/**
 * Maps any thrown value to a SCIM error response. This table lives only here:
 * `ScimError` -> its status; `StoreError` conflict -> 409 uniqueness, not_found -> 404,
 * precondition_failed -> 412, unavailable -> 503 with Retry-After; anything else -> 500 with a
 * generic detail, the cause going to the log only.
 */
export function errorToResponse(error: unknown, logger?: Logger): ScimResponse {
  if (isScimError(error)) {
    if (error.status >= 500) logger?.error({ err: error }, 'server error');
    const response = jsonResponse(error.status, error.toJSON(), { ...(error.headers ?? {}) });
    return response;
  }
  if (isStoreError(error)) {
    switch (error.reason) {
      case 'conflict': {
        const detail = error.attribute
          ? `The value of "${error.attribute}" is already taken by another resource`
          : 'A unique attribute of this resource is already taken by another resource';
        return jsonResponse(409, errorBody(409, detail, 'uniqueness'));
      }
      case 'not_found':
        return jsonResponse(404, errorBody(404, 'Resource not found'));
      case 'precondition_failed':
        return jsonResponse(
          412,
          errorBody(412, 'The resource was modified: the If-Match version no longer matches; GET it again'),
        );
      case 'unavailable':
        logger?.warn({ err: error }, 'store unavailable');
        return jsonResponse(503, errorBody(503, 'The service is temporarily unavailable; retry later'), {
          'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
        });
    }
  }
  logger?.error({ err: error }, 'unexpected error');
  return jsonResponse(500, errorBody(500, 'Internal server error'));
}
