import type { ScimResponse } from '../types.js';

/** The media type of every SCIM response (RFC 7644 3.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/**
 * Picks the response media type from an Accept header: `application/scim+json` unless the client
 * accepts only `application/json`.
 */
export function responseContentType(accept: string | undefined): string {
  if (accept === undefined || accept.trim() === '') return `${SCIM_CONTENT_TYPE}; charset=utf-8`;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  if (types.includes(SCIM_CONTENT_TYPE) || types.includes('*/*') || types.includes('application/*')) {
    return `${SCIM_CONTENT_TYPE}; charset=utf-8`;
  }
  if (types.includes('application/json')) return 'application/json; charset=utf-8';
  return `${SCIM_CONTENT_TYPE}; charset=utf-8`;
}

/** A JSON response with the SCIM media type. Numbers stay JSON numbers. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ScimResponse {
  return {
    status,
    headers: { 'content-type': `${SCIM_CONTENT_TYPE}; charset=utf-8`, ...headers },
    body: JSON.stringify(body),
  };
}

/** A response without a body (204, 304). */
export function emptyResponse(status: number, headers: Record<string, string> = {}): ScimResponse {
  return { status, headers };
}
