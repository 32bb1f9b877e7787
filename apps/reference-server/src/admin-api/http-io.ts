import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';

/** Largest JSON body the admin API accepts. Admin requests are small forms. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** Headers on every admin API answer: never cached, never sniffed, never framed. */
const API_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...API_HEADERS,
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Reads and parses a JSON object body. An empty body is `{}`; anything but a JSON object, a body
 * over {@link MAX_ADMIN_BODY_BYTES} or a non-JSON content type is an {@link ApiError}.
 */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_ADMIN_BODY_BYTES) {
      throw new ApiError(
        413,
        'body_too_large',
        `The request body is larger than ${MAX_ADMIN_BODY_BYTES} bytes.`,
      );
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type && !type.startsWith('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', `Send the body as application/json (got '${type}').`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, 'invalid_body', 'The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
