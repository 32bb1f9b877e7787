/** Joins a base URL and path segments with single slashes: `joinUrl('https://x/scim/v2/', '/Users', 'a b')`. Segments after the first are URI-encoded. */
export function joinUrl(base: string, endpoint: string, ...segments: string[]): string {
  const head = base.replace(/\/+$/, '');
  const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
  return [head + path, ...segments.map((segment) => encodeURIComponent(segment))].join('/');
}
