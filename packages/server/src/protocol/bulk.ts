import type { NewJournalEvent } from '@scim/core';
import { SCHEMA_URNS, ScimError } from '@scim/core';
import { errorToResponse } from '../http/error-response.js';
import { jsonResponse } from '../http/responses.js';
import type { ScimResponse } from '../types.js';
import type { ProtocolRequest, RequestContext, WriteBatch } from './context.js';
import { prehashBulkPasswords } from './passwords.js';

/**
 * Runs one bulk operation as if it were its own request (no auth, no rate limit, no body read),
 * with the context it is given (inside a batch, one whose writes are savepoints).
 */
export type BulkExecutor = (
  method: string,
  path: string,
  request: ProtocolRequest,
  ctx: RequestContext,
) => Promise<ScimResponse>;

/** Creates per shared transaction: long enough to amortise the commit, short enough not to hold the write lock for long. */
const BATCH_SIZE = 100;

/**
 * A POST to a collection (`/Users`, `/Groups`): its handler reads and writes only through its
 * transaction, so it can run as a savepoint of a shared one. Everything else runs on its own.
 */
function isBatchable(op: Operation): boolean {
  if (op.method !== 'POST') return false;
  const segments = op.path.split('/').filter((segment) => segment !== '');
  if (segments.length !== 1) return false;
  const name = segments[0]!.toLowerCase();
  return name !== 'bulk' && name !== '.search' && name !== 'me';
}

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
 * POST /Bulk (RFC 7644 3.7). Operations run in order; an operation
 * that references a `bulkId` (in its path, data, member values or PATCH values) waits until that
 * POST has run, and then runs before the operations written after it. References that can never
 * be resolved (circular) answer 409, references to unknown bulkIds 400, references to failed POSTs
 * 409. `failOnErrors` stops the job after that many errors.
 *
 * Atomicity: each operation is all-or-nothing. Creates that follow one another share a store
 * transaction (up to 100 per commit) when the store offers savepoints, each create in its own
 * savepoint, so a failing create undoes only itself. A crash or a failed commit loses the whole
 * batch, never part of an operation; a failed commit is reported on every operation of the batch.
 * Other operations (PUT, PATCH, DELETE) each run in a transaction of their own.
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
  // Passwords are hashed now, before any batch opens a transaction (a hash is slow by design).
  const opCtx: RequestContext = { ...ctx, passwordHashes: await prehashBulkPasswords(ctx, body) };

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
  const record = (op: Operation, result: OperationResult): void => {
    results.set(op.index, result);
    if (Number(result.status) >= 400) {
      errors += 1;
      if (op.bulkId !== undefined) failedBulkIds.add(op.bulkId);
    } else if (op.method === 'POST' && op.bulkId !== undefined && result.location !== undefined) {
      ids.set(op.bulkId, result.location.split('/').pop()!);
    }
  };

  // The next operation to run: the first one, in request order, that waits for no bulkId any more.
  // Scanning from the start each time runs an operation as soon as the POST it waits for has run,
  // before the operations written after it. Operations whose references can never resolve (unknown
  // or failed bulkIds) are answered here; when nothing is ready, what is left is circular.
  const takeNext = (): Operation | undefined => {
    let index = 0;
    while (index < pending.length) {
      if (stopped()) return undefined;
      const op = pending[index]!;
      const unknown = [...op.references].find((ref) => !declared.has(ref));
      const failedDependency = [...op.references].find((ref) => failedBulkIds.has(ref));
      if (unknown === undefined && failedDependency === undefined) {
        if ([...op.references].some((ref) => !ids.has(ref))) {
          index += 1;
          continue;
        }
        pending.splice(index, 1);
        return op;
      }
      if (unknown !== undefined) {
        fail(op, 400, `bulkId "${unknown}" is not defined by any POST in this request`, 'invalidValue');
      } else {
        fail(op, 409, `The operation with bulkId "${failedDependency}" failed, so this one cannot run`);
      }
      errors += 1;
      if (op.bulkId !== undefined) failedBulkIds.add(op.bulkId);
      pending.splice(index, 1);
      // Operations before this one may have been waiting for it: look at them again.
      index = 0;
    }
    return undefined;
  };

  let batching = true;
  let next = takeNext();
  while (next !== undefined) {
    if (!batching || !isBatchable(next)) {
      record(next, await runOne(next, ids, execute, opCtx));
      next = takeNext();
      continue;
    }
    // Consecutive creates share one store transaction, each in a savepoint of it: one failing
    // operation undoes only itself, and the batch costs one commit instead of one per operation.
    const ran: Operation[] = [];
    const pendingEvents: NewJournalEvent[] = [];
    try {
      const supported = await ctx.store.transaction(ctx.tenantId, async (tx) => {
        if (tx.savepoint === undefined) return false;
        const batch: WriteBatch = {
          tx,
          savepoint: (fn) => tx.savepoint!(fn),
          pending: pendingEvents,
        };
        const batchCtx: RequestContext = { ...opCtx, batch };
        while (next !== undefined && isBatchable(next) && ran.length < BATCH_SIZE) {
          const op: Operation = next;
          record(op, await runOne(op, ids, execute, batchCtx));
          ran.push(op);
          next = takeNext();
        }
        return true;
      });
      if (!supported) batching = false;
      else ctx.committed.push(...pendingEvents);
    } catch (error) {
      // The batch did not commit: none of its operations happened, whatever they answered.
      const failed = errorToResponse(error, ctx.logger);
      const response = failed.body === undefined ? undefined : JSON.parse(failed.body);
      const undone = ran.length > 0 ? ran : [next!];
      for (const op of undone) {
        const before = results.get(op.index);
        if (before !== undefined && Number(before.status) >= 400) continue;
        if (op.bulkId !== undefined) ids.delete(op.bulkId);
        record(op, {
          index: op.index,
          method: op.method,
          ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
          status: String(failed.status),
          ...(response !== undefined ? { response } : {}),
        });
      }
      // The operation taken after the batch passed its dependency check against creates that are
      // now undone: put it back where it was and check it again.
      if (ran.length > 0 && next !== undefined) {
        const taken = next;
        const at = pending.findIndex((op) => op.index > taken.index);
        pending.splice(at === -1 ? pending.length : at, 0, taken);
      }
      next = takeNext();
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
      // A bulk result carries status, location and version only.
      omitBody: true,
      ...(op.method !== 'DELETE' ? { body: data as Record<string, unknown> } : {}),
    };
    response = await execute(op.method, path, request, ctx);
  } catch (error) {
    // One failing operation is reported in its own result; the cause of a 500 goes to the log only.
    response = errorToResponse(error, ctx.logger);
  }
  const result: OperationResult = { ...base, status: String(response.status) };
  // RFC 7644 3.7: every result but a failed POST has a location; a 204 (DELETE, PATCH without a
  // body) carries none in its headers, so it is the address the operation was sent to.
  const location =
    response.headers.location ??
    response.headers['content-location'] ??
    (response.status < 400
      ? `${ctx.baseUrl}/${path
          .split('/')
          .filter((s) => s !== '')
          .join('/')}`
      : undefined);
  if (location !== undefined) result.location = location;
  if (response.headers.etag !== undefined) result.version = response.headers.etag;
  if (response.status >= 400 && response.body !== undefined) result.response = JSON.parse(response.body);
  return result;
}
