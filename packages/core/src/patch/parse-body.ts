import { ScimError } from '../errors/scim-error.js';
import { SCHEMA_URNS } from '../schema/types.js';
import { isPlainObject } from './changed-attributes.js';
import type { DialectName } from './dialects.js';

/** A PATCH operation name. */
export type OperationName = 'add' | 'remove' | 'replace';

/** One operation of a PatchOp message, checked and normalised. */
export interface PatchOperation {
  /** Position in `Operations`, for error messages. */
  index: number;
  op: OperationName;
  path?: string;
  value: unknown;
  /** True when the operation carried a `value` member (even `null`). */
  hasValue: boolean;
}

const OPERATIONS: readonly string[] = ['add', 'remove', 'replace'];

/**
 * Checks a PatchOp message (RFC 7644 3.5.2): an object whose `schemas` holds the PatchOp URN and
 * whose `Operations` is a non-empty array of `{ op, path?, value? }`. Anything else is 400
 * invalidSyntax; a path that is not a string is 400 invalidPath; an add or replace without a
 * `value` member is 400 invalidValue.
 */
export function parsePatchBody(
  body: unknown,
  dialects: Readonly<Record<DialectName, boolean>>,
): PatchOperation[] {
  if (!isPlainObject(body)) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `A PATCH body must be a JSON object: {"schemas": ["${SCHEMA_URNS.patchOp}"], "Operations": [...]}`,
    );
  }
  const schemas = body.schemas;
  const patchOp = SCHEMA_URNS.patchOp.toLowerCase();
  if (
    !Array.isArray(schemas) ||
    !schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === patchOp)
  ) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `The PATCH body's "schemas" must contain "${SCHEMA_URNS.patchOp}"`,
    );
  }
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(
      400,
      'invalidSyntax',
      'The PATCH body needs "Operations": a non-empty array of {"op", "path", "value"} objects',
    );
  }
  return operations.map((raw, index) => parseOperation(raw, index, dialects));
}

function parseOperation(
  raw: unknown,
  index: number,
  dialects: Readonly<Record<DialectName, boolean>>,
): PatchOperation {
  if (!isPlainObject(raw)) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `Operations[${index}] must be an object with "op", "path" and "value"`,
    );
  }
  const sent = raw.op;
  if (typeof sent !== 'string') {
    throw new ScimError(
      400,
      'invalidSyntax',
      `Operations[${index}] needs "op": "add", "remove" or "replace"`,
    );
  }
  const name = dialects.caseInsensitiveOps ? sent.toLowerCase() : sent;
  if (!OPERATIONS.includes(name)) {
    const hint = OPERATIONS.includes(sent.toLowerCase()) ? ' (operation names are lower case)' : '';
    throw new ScimError(
      400,
      'invalidSyntax',
      `Operations[${index}].op is "${sent}"; it must be "add", "remove" or "replace"${hint}`,
    );
  }
  const operation: PatchOperation = {
    index,
    op: name as OperationName,
    value: raw.value,
    hasValue: Object.hasOwn(raw, 'value'),
  };
  if (raw.path !== undefined && raw.path !== null) {
    if (typeof raw.path !== 'string') {
      throw new ScimError(
        400,
        'invalidPath',
        `Operations[${index}].path must be a string such as "name.givenName"`,
      );
    }
    // An empty path is sent by some clients for "no path".
    if (raw.path.trim() !== '') operation.path = raw.path.trim();
  }
  if (operation.op !== 'remove' && !operation.hasValue) {
    throw new ScimError(400, 'invalidValue', `Operations[${index}] ("${operation.op}") needs a "value"`);
  }
  return operation;
}
