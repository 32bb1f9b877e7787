import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimRequest, ScimResponse, ScimServer } from '../types.js';
import { normaliseBasePath, outsideBaseResponse, stripBasePath } from './base-path.js';

/** Options of the node:http, Express and Fastify adapters. */
export interface NodeAdapterOptions {
  /** The mount path, e.g. `/scim/v2`. @default '' (root) */
  basePath?: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  // Node already lower-cases header names and joins repeated headers into one string, except the
  // few it keeps as arrays (set-cookie): the object is used as it is unless one of those is present.
  const headers = req.headers;
  for (const name in headers) {
    if (typeof headers[name] !== 'string') return copyHeaders(headers);
  }
  return headers as Record<string, string | undefined>;
}

function copyHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const copy: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return copy;
}

/** Builds a `ScimRequest` from a node request; the body stays a stream the server reads lazily. */
export function fromNodeRequest(
  req: IncomingMessage,
  pathname: string,
  search: string,
  body?: ScimRequest['body'],
): ScimRequest {
  const method = (req.method ?? 'GET').toUpperCase();
  const request: ScimRequest = {
    method,
    path: pathname,
    query: new URLSearchParams(search),
    headers: headersOf(req),
  };
  if (body !== undefined) request.body = body;
  else if (BODY_METHODS.has(method)) request.body = req;
  if (req.socket?.remoteAddress !== undefined) request.remoteAddress = req.socket.remoteAddress;
  return request;
}

/** Writes a `ScimResponse` to a node response. */
export function writeNodeResponse(res: ServerResponse, response: ScimResponse): void {
  // One writeHead with every header: cheaper than a setHeader per header, and node still merges
  // headers a framework set earlier (Express, Fastify) with these.
  const headers = response.headers;
  if (response.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(response.body));
    res.writeHead(response.status, headers);
    res.end(response.body);
  } else {
    res.writeHead(response.status, headers);
    res.end();
  }
}

/** Serves one node request (shared by the node, Express and Fastify adapters). */
export async function serveNode(
  server: ScimServer,
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  basePath: string,
  body?: ScimRequest['body'],
): Promise<void> {
  const queryStart = url.indexOf('?');
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const path = stripBasePath(pathname, basePath);
  let response: ScimResponse;
  if (path === undefined) response = outsideBaseResponse(pathname);
  else response = await server.handle(fromNodeRequest(req, path, search, body));
  writeNodeResponse(res, response);
}

/**
 * A node:http request listener serving SCIM under `basePath`.
 *
 * @example
 * createServer(toNodeListener(scim, { basePath: '/scim/v2' })).listen(3000);
 */
export function toNodeListener(
  server: ScimServer,
  options: NodeAdapterOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const basePath = normaliseBasePath(options.basePath);
  return (req, res) => {
    serveNode(server, req, res, req.url ?? '/', basePath).catch((error: unknown) => {
      // handle() never throws; this guards against a broken socket while writing.
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else {
        res.destroy(error as Error);
      }
    });
  };
}
