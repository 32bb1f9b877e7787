import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimServer } from '../types.js';
import { normaliseBasePath, stripBasePath } from './base-path.js';
import { serveNode } from './node.js';

/** The parts of a Fastify instance the plugin uses (typed structurally: fastify is not a dependency). */
export interface FastifyLikeInstance {
  readonly prefix: string;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  route(options: {
    method: string[];
    url: string;
    handler: (
      request: { raw: IncomingMessage; url: string },
      reply: { raw: ServerResponse; hijack(): void },
    ) => Promise<void>;
  }): void;
}

/** A Fastify plugin function. */
export type FastifyLikePlugin = (instance: FastifyLikeInstance, options: unknown) => Promise<void>;

/**
 * A Fastify plugin serving SCIM under the prefix it is registered with. Inside its (encapsulated)
 * scope it takes over body parsing, so the SCIM size limit, timeout and error format apply.
 *
 * @example
 * await app.register(fastifyPlugin(scim), { prefix: '/scim/v2' });
 */
export function fastifyPlugin(server: ScimServer): FastifyLikePlugin {
  return async (instance) => {
    const basePath = normaliseBasePath(instance.prefix);
    instance.removeAllContentTypeParsers();
    // Hand the untouched stream to the server: it reads it after authentication, with its limits.
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const handler = async (
      request: { raw: IncomingMessage; url: string },
      reply: { raw: ServerResponse; hijack(): void },
    ) => {
      reply.hijack();
      const url = request.raw.url ?? request.url;
      const pathname = url.split('?')[0] ?? '';
      const base = stripBasePath(pathname, basePath) === undefined ? '' : basePath;
      await serveNode(server, request.raw, reply.raw, url, base);
    };
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
    instance.route({ method: methods, url: '/', handler });
    instance.route({ method: methods, url: '/*', handler });
  };
}
