/** SCIM endpoints whose second path segment is an id, so the label stays bounded. */
const WITH_ID = new Set(['Users', 'Groups', 'Schemas', 'ResourceTypes']);
const FIXED = new Set([
  'Users',
  'Groups',
  'Me',
  'Bulk',
  'ServiceProviderConfig',
  'Schemas',
  'ResourceTypes',
  '.search',
]);

/**
 * A low-cardinality route label for a request path: ids become `{id}`, unknown paths `other`.
 *
 * @example
 * routeLabel('/scim/v2/Users/2819c223', '/scim/v2'); // '/Users/{id}'
 */
export function routeLabel(path: string, basePath: string): string {
  const pathname = path.split('?')[0] ?? '';
  if (pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics') return pathname;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return '/admin';
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return 'other';
  const segments = pathname.slice(basePath.length).split('/').filter(Boolean);
  const [first, second, third] = segments;
  if (!first) return '/';
  if (!FIXED.has(first)) return 'other';
  if (second === undefined) return `/${first}`;
  if (second === '.search' && segments.length === 2) return `/${first}/.search`;
  if (WITH_ID.has(first) && third === undefined) return `/${first}/{id}`;
  return 'other';
}
