import { ScimError } from '@scim/core';

/**
 * Decodes UTF-8 bytes and parses a JSON object, answering 400 invalidSyntax with the parser's
 * complaint for anything else (empty body, invalid UTF-8, malformed JSON, a non-object).
 */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength === 0)
    throw new ScimError(400, 'invalidSyntax', 'The request body is empty; send a JSON object');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ScimError(400, 'invalidSyntax', 'The request body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
