import type { ScimRequest, ScimServer } from '../types.js';
import { normaliseBasePath, outsideBaseResponse, stripBasePath } from './base-path.js';

/** Options of `toFetchHandler`. */
export interface FetchAdapterOptions {
  /** The mount path, e.g. `/scim/v2`. @default '' (root) */
  basePath?: string;
}

/**
 * A Fetch-API handler (`Request -> Response`) for Hono, Next.js route handlers, Bun and Deno.
 *
 * @example
 * const handler = toFetchHandler(scim, { basePath: '/scim/v2' });
 * export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
 */
export function toFetchHandler(
  server: ScimServer,
  options: FetchAdapterOptions = {},
): (request: Request) => Promise<Response> {
  const basePath = normaliseBasePath(options.basePath);
  return async (request) => {
    const url = new URL(request.url);
    const path = stripBasePath(url.pathname, basePath);
    if (path === undefined) {
      const outside = outsideBaseResponse(url.pathname);
      return new Response(outside.body, { status: outside.status, headers: outside.headers });
    }
    const headers: Record<string, string | undefined> = {};
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const scimRequest: ScimRequest = {
      method: request.method.toUpperCase(),
      path,
      query: url.searchParams,
      headers,
    };
    if (request.body !== null) scimRequest.body = request.body as unknown as AsyncIterable<Uint8Array>;
    const response = await server.handle(scimRequest);
    return new Response(response.body ?? null, { status: response.status, headers: response.headers });
  };
}
