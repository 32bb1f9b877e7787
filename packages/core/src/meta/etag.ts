/**
 * The weak ETag of a resource version (RFC 7644 3.14): `W/"<version>"`, used as `meta.version` and
 * the `ETag` header.
 */
export function formatEtag(version: number): string {
  return `W/"${version}"`;
}

const ETAG = /^\s*(?:[Ww]\/)?"(\d{1,15})"\s*$/;

/**
 * Reads the version out of an ETag as sent in `If-Match` / `If-None-Match` or `meta.version`:
 * `W/"3"` or `"3"` (weak and strong are compared the same way). Undefined for anything else,
 * including `*` and lists, which the caller handles itself.
 */
export function parseEtag(header: string): number | undefined {
  const match = ETAG.exec(header);
  if (match === null || match[1] === undefined) return undefined;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) ? version : undefined;
}
