/** Normalises a mount path: leading slash, no trailing slash, '' for the root. */
export function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The path below the mount point, or undefined when the path is outside it. */
export function stripBasePath(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname === '' ? '/' : pathname;
  if (pathname === basePath) return '/';
  if (pathname.startsWith(`${basePath}/`)) return pathname.slice(basePath.length);
  return undefined;
}

/** The 404 for a path outside the mount point (answered without authentication: it reveals nothing). */
export function outsideBaseResponse(path: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    status: 404,
    headers: { 'content-type': 'application/scim+json; charset=utf-8' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: `No SCIM endpoint at "${path}"`,
    }),
  };
}
