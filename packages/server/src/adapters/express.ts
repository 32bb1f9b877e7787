import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimRequest, ScimServer } from '../types.js';
import { serveNode } from './node.js';

/** The parts of an Express request the middleware uses (typed structurally: express is not a dependency). */
export interface ExpressLikeRequest extends IncomingMessage {
  /** The URL below the mount point (Express strips the `app.use` path). */
  url: string;
  /** Set when a body parser already consumed the stream. */
  body?: unknown;
  readableEnded: boolean;
}

/** An Express-compatible middleware function. */
export type ExpressLikeMiddleware = (
  req: ExpressLikeRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

function consumedBody(req: ExpressLikeRequest): ScimRequest['body'] | undefined {
  // A body parser mounted before us has read the stream; reuse what it produced.
  if (!req.readableEnded || req.body === undefined) return undefined;
  if (typeof req.body === 'string' || req.body instanceof Uint8Array) return req.body;
  if (typeof req.body === 'object' && req.body !== null && Object.keys(req.body).length === 0)
    return undefined;
  return JSON.stringify(req.body);
}

/**
 * Express middleware serving SCIM where it is mounted (`app.use('/scim/v2', expressMiddleware(scim))`).
 * Works with or without `express.json()` before it.
 *
 * @example
 * app.use('/scim/v2', expressMiddleware(scim));
 */
export function expressMiddleware(server: ScimServer): ExpressLikeMiddleware {
  return (req, res, next) => {
    serveNode(server, req, res, req.url, '', consumedBody(req)).catch(next);
  };
}
