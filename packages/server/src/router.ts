import { ScimError } from '@scim/core';
import type { SchemaRegistry } from '@scim/core';

/** What a request path addresses. */
export type Route =
  | { kind: 'serviceProviderConfig' }
  | { kind: 'resourceTypes'; id?: string }
  | { kind: 'schemas'; id?: string }
  | { kind: 'bulk' }
  | { kind: 'rootSearch' }
  | { kind: 'me'; rest: string }
  | { kind: 'collection'; resourceType: string }
  | { kind: 'search'; resourceType: string }
  | { kind: 'resource'; resourceType: string; id: string };

const ALLOWED: Record<Route['kind'], readonly string[]> = {
  serviceProviderConfig: ['GET'],
  resourceTypes: ['GET'],
  schemas: ['GET'],
  bulk: ['POST'],
  rootSearch: ['POST'],
  me: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  collection: ['GET', 'POST'],
  search: ['POST'],
  resource: ['GET', 'PUT', 'PATCH', 'DELETE'],
};

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ScimError(400, 'invalidSyntax', `The path segment "${segment}" is not valid percent-encoding`);
  }
}

/** Finds the route of a path (relative to the mount point), or throws 404. */
export function matchPath(path: string, registry: SchemaRegistry): Route {
  const segments = path.split('/').filter((segment) => segment !== '');
  const first = segments[0];
  if (first === undefined)
    throw new ScimError(404, undefined, 'No SCIM endpoint at the base path; try /Users');
  const name = first.toLowerCase();
  const notFound = (): never => {
    throw new ScimError(404, undefined, `No SCIM endpoint at "${path}"`);
  };
  if (name === 'serviceproviderconfig' || name === 'serviceproviderconfigs') {
    return segments.length === 1 ? { kind: 'serviceProviderConfig' } : notFound();
  }
  if (name === 'resourcetypes') {
    if (segments.length > 2) notFound();
    return segments[1] === undefined
      ? { kind: 'resourceTypes' }
      : { kind: 'resourceTypes', id: decodeSegment(segments[1]) };
  }
  if (name === 'schemas') {
    if (segments.length > 2) notFound();
    return segments[1] === undefined
      ? { kind: 'schemas' }
      : { kind: 'schemas', id: decodeSegment(segments[1]) };
  }
  if (name === 'bulk') return segments.length === 1 ? { kind: 'bulk' } : notFound();
  if (name === '.search') return segments.length === 1 ? { kind: 'rootSearch' } : notFound();
  if (name === 'me') return { kind: 'me', rest: segments.slice(1).join('/') };
  const type = registry.getResourceTypeByEndpoint(`/${decodeSegment(first)}`);
  if (type === undefined) return notFound();
  if (segments.length === 1) return { kind: 'collection', resourceType: type.name };
  if (segments.length === 2) {
    const id = decodeSegment(segments[1]!);
    if (id === '.search') return { kind: 'search', resourceType: type.name };
    return { kind: 'resource', resourceType: type.name, id };
  }
  return notFound();
}

/** The methods a route accepts (for 405 and its Allow header). */
export function allowedMethods(route: Route): readonly string[] {
  return ALLOWED[route.kind];
}

/** Matches a route and checks the method: 404 for unknown paths, 405 with `Allow` for wrong methods. */
export function route(method: string, path: string, registry: SchemaRegistry): Route {
  const matched = matchPath(path, registry);
  const allowed = allowedMethods(matched);
  if (!allowed.includes(method.toUpperCase())) {
    throw new ScimError(
      405,
      undefined,
      `Method ${method.toUpperCase()} is not allowed here; use ${allowed.join(', ')}`,
      {
        headers: { allow: allowed.join(', ') },
      },
    );
  }
  return matched;
}
