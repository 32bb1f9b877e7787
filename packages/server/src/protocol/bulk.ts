import { SCHEMA_URNS, ScimError } from '@scim/core';
import { errorToResponse } from '../http/error-response.js';
import { jsonResponse } from '../http/responses.js';
import type { ScimResponse } from '../types.js';
import type { ProtocolRequest, RequestContext } from './context.js';

/** Runs one bulk operation as if it were its own request (no auth, no rate limit, no body read). */
export type BulkExecutor = (method: string, path: string, request: ProtocolRequest) => Promise<ScimResponse>;

interface Operation {
  index: number;
  method: string;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
  references: Set<string>;
}

interface OperationResult {
  index: number;
  method: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status: string;
  response?: unknown;
}

const REFERENCE = /bulkId:([^\s"'\]/,)]+)/g;

function collectReferences(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE)) into.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectReferences(item, into);
  }
}

function substitute(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string')
    return value.replace(REFERENCE, (whole, bulkId: string) => ids.get(bulkId) ?? whole);
  if (Array.isArray(value)) return value.map((item) => substitute(item, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  }
  return value;
}

function operationError(status: number, detail: string, scimType?: string): unknown {
  const body: Record<string, unknown> = { schemas: [SCHEMA_URNS.error], status: String(status), detail };
  if (scimType !== undefined) body.scimType = scimType;
  return body;
}

function parseOperations(body: Record<string, unknown>, maxOperations: number): Operation[] {
  const schemas = body.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCHEMA_URNS.bulkRequest.toLowerCase())
  ) {
    throw new ScimError(
      400,
      'invalidSyntax',
      `A bulk request must have schemas ["${SCHEMA_URNS.bulkRequest}"]`,
    );
  }
  const raw = body.Operations ?? body.operations;
  if (!Array.isArray(raw))
    throw new ScimError(400, 'invalidSyntax', 'A bulk request needs an "Operations" array');
  if (raw.length > maxOperations) {
    throw new ScimError(
      413,
      undefined,
      `The bulk request has ${raw.length} operations; the maximum is ${maxOperations}`,
    );
  }
  return raw.map((item, index) => {
    if (typeof item !== 'object' || item === null) {
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}] must be an object`);
    }
    const op = item as Record<string, unknown>;
    if (typeof op.method !== 'string')
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}].method is required`);
    if (typeof op.path !== 'string')
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}].path is required`);
    const references = new Set<string>();
    collectReferences(op.data, references);
    collectReferences(op.path, references);
    const operation: Operation = {
      index,
      method: op.method.toUpperCase(),
      path: op.path,
      data: op.data,
      references,
    };
    if (typeof op.bulkId === 'string') operation.bulkId = op.bulkId;
    if (typeof op.version === 'string') operation.version = op.version;
    return operation;
  });
}

/**
 * POST /Bulk (RFC 7644 3.7). Operations run in order, each in its own transaction; an operation
 * that references a `bulkId` (in its path, data, member values or PATCH values) waits until that
 * POST has run. References that can never be resolved (circular) answer 409, references to
 * unknown bulkIds 400, references to failed POSTs 409. `failOnErrors` stops the job after that many
 * errors.
 */
export async function runBulk(
  ctx: RequestContext,
  body: Record<string, unknown>,
  execute: BulkExecutor,
): Promise<ScimResponse> {
  const operations = parseOperations(body, ctx.limits.maxBulkOperations);
  const failOnErrorsRaw = body.failOnErrors;
  if (
    failOnErrorsRaw !== undefined &&
    (!Number.isInteger(failOnErrorsRaw) || (failOnErrorsRaw as number) < 1)
  ) {
    throw new ScimError(400, 'invalidValue', 'failOnErrors must be a positive integer');
  }
  const failOnErrors = failOnErrorsRaw as number | undefined;

  const declared = new Map<string, number>();
  const results = new Map<number, OperationResult>();
  const fail = (op: Operation, status: number, detail: string, scimType?: string): void => {
    results.set(op.index, {
      index: op.index,
      method: op.method,
      ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
      status: String(status),
      response: operationError(status, detail, scimType),
    });
  };
  const pending: Operation[] = [];
  for (const op of operations) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method)) {
      fail(op, 400, `Operations[${op.index}].method must be POST, PUT, PATCH or DELETE`, 'invalidValue');
    } else if (op.method === 'POST' && op.bulkId === undefined) {
      fail(op, 400, `Operations[${op.index}] is a POST and needs a bulkId`, 'invalidValue');
    } else if (op.bulkId !== undefined && declared.has(op.bulkId)) {
      fail(op, 400, `bulkId "${op.bulkId}" is used by more than one operation`, 'invalidValue');
    } else {
      if (op.bulkId !== undefined && op.method === 'POST') declared.set(op.bulkId, op.index);
      pending.push(op);
    }
  }

  const ids = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  let errors = [...results.values()].length;
  const stopped = (): boolean => failOnErrors !== undefined && errors >= failOnErrors;

  let progress = true;
  while (pending.length > 0 && progress && !stopped()) {
    progress = false;
    for (let i = 0; i < pending.length && !stopped(); ) {
      const op = pending[i]!;
      const unknown = [...op.references].find((ref) => !declared.has(ref));
      const failedDependency = [...op.references].find((ref) => failedBulkIds.has(ref));
      const waiting = [...op.references].some((ref) => !ids.has(ref));
      if (unknown !== undefined) {
        fail(op, 400, `bulkId "${unknown}" is not defined by any POST in this request`, 'invalidValue');
      } else if (failedDependency !== undefined) {
        fail(op, 409, `The operation with bulkId "${failedDependency}" failed, so this one cannot run`);
      } else if (waiting) {
        i += 1;
        continue;
      } else {
        const result = await runOne(op, ids, execute, ctx);
        results.set(op.index, result);
        if (Number(result.status) >= 400) {
          if (op.bulkId !== undefined) failedBulkIds.add(op.bulkId);
        } else if (op.method === 'POST' && op.bulkId !== undefined && result.location !== undefined) {
          ids.set(op.bulkId, result.location.split('/').pop()!);
        }
      }
      if (Number(results.get(op.index)!.status) >= 400) {
        errors += 1;
        if (op.bulkId !== undefined) failedBulkIds.add(op.bulkId);
      }
      pending.splice(i, 1);
      progress = true;
    }
  }
  if (!stopped()) {
    for (const op of pending) {
      fail(
        op,
        409,
        `Circular bulkId references involving "${[...op.references].join('", "')}" cannot be resolved`,
      );
      errors += 1;
      if (stopped()) break;
    }
  }
  const ordered = [...results.values()]
    .sort((a, b) => a.index - b.index)
    .map(({ index: _index, ...rest }) => rest);
  return jsonResponse(200, { schemas: [SCHEMA_URNS.bulkResponse], Operations: ordered });
}

async function runOne(
  op: Operation,
  ids: Map<string, string>,
  execute: BulkExecutor,
  ctx: RequestContext,
): Promise<OperationResult> {
  const path = substitute(op.path, ids) as string;
  const data = op.data === undefined ? undefined : substitute(op.data, ids);
  const base: OperationResult = {
    index: op.index,
    method: op.method,
    status: '500',
    ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
  };
  let response: ScimResponse;
  try {
    if (op.method !== 'DELETE' && (typeof data !== 'object' || data === null || Array.isArray(data))) {
      throw new ScimError(400, 'invalidSyntax', `Operations[${op.index}].data must be a JSON object`);
    }
    const request: ProtocolRequest = {
      method: op.method,
      query: new URLSearchParams(),
      headers: op.version !== undefined ? { 'if-match': op.version } : {},
      ...(op.method !== 'DELETE' ? { body: data as Record<string, unknown> } : {}),
    };
    response = await execute(op.method, path, request);
  } catch (error) {
    // One failing operation is reported in its own result; the cause of a 500 goes to the log only.
    response = errorToResponse(error, ctx.logger);
  }
  const result: OperationResult = { ...base, status: String(response.status) };
  const location = response.headers.location ?? response.headers['content-location'];
  if (location !== undefined) result.location = location;
  if (response.headers.etag !== undefined) result.version = response.headers.etag;
  if (response.status >= 400 && response.body !== undefined) result.response = JSON.parse(response.body);
  return result;
}
