import { ScimError } from '@scim/core';

const ACCEPTED = new Set(['application/scim+json', 'application/json']);

/**
 * Checks a request's Content-Type: `application/scim+json` and `application/json` (with any
 * parameters) are accepted, a missing header is tolerated, anything else is 415.
 */
export function assertJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === '') return;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (ACCEPTED.has(mediaType)) return;
  throw new ScimError(
    415,
    undefined,
    `Content-Type "${mediaType}" is not supported; send application/scim+json or application/json`,
  );
}
