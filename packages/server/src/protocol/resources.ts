import type {
  AccessState,
  FilterNode,
  GroupRef,
  MemberDelta,
  MemberRef,
  ScimResource,
  StoredResource,
} from '@scim/core';
import {
  applyPatch,
  buildMeta,
  formatEtag,
  parseEtag,
  parseFilter,
  projectResource,
  renderResource,
  ScimError,
  toScimResource,
  validateResource,
} from '@scim/core';
import { emptyResponse, jsonResponse } from '../http/responses.js';
import type { ScimResponse } from '../types.js';
import { accessFor, membershipMatters, refreshAccess, toAccessState } from './access.js';
import type { ProtocolRequest, RequestContext } from './context.js';
import { loadAllMembers, resolveMembers, wantsGroups, wantsMembers } from './members.js';
import {
  type PasswordHashes,
  prehashPasswords,
  storablePassword,
  withoutDiscardedPassword,
} from './passwords.js';
import { resourceEvents } from './resource-events.js';
import { runWrite, type WriteScope } from './write.js';

const isGroup = (type: string): boolean => type === 'Group';
const isUser = (type: string): boolean => type === 'User';

/**
 * The versions an If-Match header accepts (RFC 7232 3.1: a list of entity-tags, any of which may
 * match): undefined when absent or `*`; 412 when none of its entries is an ETag of ours.
 */
export function ifMatchVersions(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  const tags = header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  if (tags.length === 0 || tags.includes('*')) return undefined;
  const versions = tags.map(parseEtag).filter((version): version is number => version !== undefined);
  if (versions.length === 0) {
    throw new ScimError(
      412,
      undefined,
      `If-Match "${header}" matches no version of this resource; send the ETag you received`,
    );
  }
  return versions;
}

/**
 * The version a write must find, given If-Match and the resource read in the same transaction:
 * the store checks it atomically with the write. With several ETags the one that matches what was
 * read is used, so a change committed in between still fails the write.
 */
function versionToWrite(versions: number[] | undefined, existing: StoredResource): number {
  if (versions === undefined || versions.includes(existing.version)) return existing.version;
  // A single stale ETag goes to the store, whose atomic check answers the usual 412.
  if (versions.length === 1) return versions[0]!;
  throw new ScimError(
    412,
    undefined,
    `If-Match lists ${versions.map(formatEtag).join(', ')} but the resource is at ${formatEtag(existing.version)}; read it again`,
  );
}

function notFound(type: string, id: string): ScimError {
  return new ScimError(404, undefined, `${type} "${id}" not found`);
}

function requireBody(req: ProtocolRequest): Record<string, unknown> {
  if (req.body === undefined) throw new ScimError(400, 'invalidSyntax', 'This request needs a JSON body');
  return req.body;
}

/** Splits a validated resource into the stored `data` and (for groups) the requested members. */
function splitResource(
  type: string,
  resource: ScimResource,
): { data: Record<string, unknown>; members?: unknown[] } {
  const {
    id: _id,
    meta: _meta,
    members,
    ...data
  } = resource as ScimResource & { meta?: unknown; members?: unknown };
  if (isUser(type)) delete (data as Record<string, unknown>).groups;
  if (isGroup(type)) {
    if (members === undefined || members === null) return { data };
    if (!Array.isArray(members)) throw new ScimError(400, 'invalidValue', 'members must be an array');
    return { data, members };
  }
  if (members !== undefined) (data as Record<string, unknown>).members = members;
  return { data };
}

/** The SCIM JSON of a stored resource (members only when set on it). */
export function render(ctx: RequestContext, stored: StoredResource): ScimResource {
  return toScimResource(stored, { baseUrl: ctx.baseUrl, registry: ctx.registry });
}

/** Applies the request's `attributes`/`excludedAttributes` (the request names at least one). */
function project(
  ctx: RequestContext,
  type: string,
  resource: ScimResource,
  req: ProtocolRequest,
): ScimResource {
  const attributes = req.query.get('attributes') ?? undefined;
  const excludedAttributes = req.query.get('excludedAttributes') ?? undefined;
  return projectResource(resource, {
    registry: ctx.registry,
    resourceType: type,
    ...(attributes !== undefined ? { attributes } : {}),
    ...(excludedAttributes !== undefined ? { excludedAttributes } : {}),
  });
}

/** True when the response's projection keeps a user's `groups`. */
function wantsUserGroups(req: ProtocolRequest): boolean {
  return wantsGroups(
    req.query.get('attributes') ?? undefined,
    req.query.get('excludedAttributes') ?? undefined,
  );
}

/** Builds the 200/201 answer for a resource, loading group members only when the response shows them. */
async function respondWith(
  ctx: RequestContext,
  req: ProtocolRequest,
  status: number,
  stored: StoredResource,
): Promise<ScimResponse> {
  const type = stored.resourceType;
  if (req.omitBody) {
    const { location, version } = buildMeta(stored, { baseUrl: ctx.baseUrl, registry: ctx.registry });
    return emptyResponse(status, {
      etag: version,
      [status === 201 ? 'location' : 'content-location']: location,
    });
  }
  let view = stored;
  if (
    isGroup(type) &&
    wantsMembers(req.query.get('attributes') ?? undefined, req.query.get('excludedAttributes') ?? undefined)
  ) {
    view = { ...stored, members: await loadAllMembers(ctx.store, ctx.tenantId, stored.id) };
  }
  let groups: GroupRef[] | undefined;
  if (isUser(type) && wantsUserGroups(req)) {
    groups = stored.groups ?? (await ctx.store.listGroupsOf(ctx.tenantId, stored.id));
  }
  const options = { baseUrl: ctx.baseUrl, registry: ctx.registry, ...(groups ? { groups } : {}) };
  const projection = req.query.get('attributes') !== null || req.query.get('excludedAttributes') !== null;
  // Without attributes/excludedAttributes (nearly every IdP call) rendering and projecting is one pass.
  const resource = projection
    ? project(ctx, type, toScimResource(view, options), req)
    : renderResource(view, options);
  const headers: Record<string, string> = { etag: formatEtag(stored.version) };
  const location = (resource.meta as { location?: string } | undefined)?.location;
  if (location !== undefined && status === 201) headers.location = location;
  else if (location !== undefined) headers['content-location'] = location;
  return jsonResponse(status, resource, headers);
}

const eqTemplates = new WeakMap<RequestContext['registry'], Map<string, FilterNode>>();

/**
 * `attribute eq "value"` as the parser would produce it. The parse of `attribute eq ""` is kept per
 * registry, type and attribute, and the value put in a copy: a create runs two such lookups.
 */
function filterEq(ctx: RequestContext, type: string, attribute: string, value: string): FilterNode {
  let templates = eqTemplates.get(ctx.registry);
  if (templates === undefined) {
    templates = new Map();
    eqTemplates.set(ctx.registry, templates);
  }
  const key = `${type}\u0000${attribute}`;
  let template = templates.get(key);
  if (template === undefined) {
    template = parseFilter(`${attribute} eq ""`, { registry: ctx.registry, resourceType: type });
    templates.set(key, template);
  }
  return { ...(template as object), value } as FilterNode;
}

async function findOne(
  ctx: RequestContext,
  scope: WriteScope,
  attribute: string,
  value: unknown,
): Promise<StoredResource | undefined> {
  if (typeof value !== 'string' || value === '') return undefined;
  const result = await scope.tx.queryResources({
    resourceType: 'User',
    filter: filterEq(ctx, 'User', attribute, value),
    count: 1,
    includeDeprovisioned: true,
  });
  return result.resources[0];
}

/** GET /{type}/{id} */
export async function getResource(
  ctx: RequestContext,
  type: string,
  id: string,
  req: ProtocolRequest,
): Promise<ScimResponse> {
  // A user's groups are read with the user when the response will show them (one statement on
  // SQLite instead of two); stores that ignore includeGroups leave respondWith to ask listGroupsOf.
  const withGroups = isUser(type) && !req.omitBody && wantsUserGroups(req);
  const stored = await ctx.store.getResource(
    ctx.tenantId,
    type,
    id,
    withGroups ? { includeGroups: true } : undefined,
  );
  if (stored === undefined) throw notFound(type, id);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const current = formatEtag(stored.version);
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim());
    if (tags.includes('*') || tags.some((tag) => parseEtag(tag) === stored.version)) {
      return emptyResponse(304, { etag: current });
    }
  }
  return respondWith(ctx, req, 200, stored);
}

/** POST /{type}: creates, or for Users restores a deprovisioned one or links a JIT-created one. */
export async function createResource(
  ctx: RequestContext,
  type: string,
  req: ProtocolRequest,
): Promise<ScimResponse> {
  const body = requireBody(req);
  const validated = validateResource(body, {
    registry: ctx.registry,
    resourceType: type,
    mode: 'create',
    strict: ctx.policies.strictSchemas,
  });
  const { data, members } = splitResource(type, validated);
  const hashes = await prehashPasswords(ctx, type, 'resource', body);
  const stored = await runWrite(ctx, async (scope) => {
    if (isUser(type)) {
      const existing = await matchExistingUser(ctx, scope, data, hashes);
      if (existing !== undefined) return existing;
    }
    const id = ctx.generateId();
    let access: AccessState | undefined;
    if (isUser(type)) access = toAccessState(accessFor(await scope.roleSettings(), data, []));
    const refs = members ? await resolveMembers(scope.tx, members) : undefined;
    const created = await scope.tx.create({
      resourceType: type,
      id,
      now: scope.now,
      data: storablePassword(ctx, type, data, hashes),
      ...(access ? { access } : {}),
      ...(refs && refs.length > 0 ? { members: refs } : {}),
    });
    const after = render(ctx, refs ? { ...created, members: refs } : created);
    scope.record(
      resourceEvents({
        resourceType: type,
        resourceId: id,
        after,
        ...(refs ? { members: { added: refs.map((m) => m.value), removed: [] } } : {}),
        ...(access ? { accessAfter: access } : {}),
      }),
    );
    if (refs)
      await refreshAccess(
        scope,
        refs.filter((m) => m.type === 'User').map((m) => m.value),
      );
    // A resource created just now is in no group (a member must exist before it is added), so the
    // 201 shows `groups` without asking the store.
    return isUser(type) ? { ...created, groups: [] } : created;
  });
  return respondWith(ctx, req, 201, stored);
}

/**
 * A POST /Users that matches an existing user: a deprovisioned one (same userName or externalId) is
 * restored with its data kept and the request's attributes applied; an active one without an
 * externalId is linked (JIT) when the request carries an externalId and the policy allows it;
 * anything else is 409 uniqueness.
 */
async function matchExistingUser(
  ctx: RequestContext,
  scope: WriteScope,
  data: Record<string, unknown>,
  hashes: PasswordHashes,
): Promise<StoredResource | undefined> {
  const byUserName = await findOne(ctx, scope, 'userName', data.userName);
  const byExternalId = await findOne(ctx, scope, 'externalId', data.externalId);
  if (byUserName === undefined && byExternalId === undefined) return undefined;
  if (byUserName !== undefined && byExternalId !== undefined && byUserName.id !== byExternalId.id) {
    throw new ScimError(
      409,
      'uniqueness',
      `userName "${String(data.userName)}" and externalId "${String(data.externalId)}" belong to two different users`,
    );
  }
  const target = (byExternalId ?? byUserName)!;
  const restoring = target.deprovisionedAt !== undefined;
  const linking =
    !restoring &&
    ctx.policies.jitLink &&
    typeof data.externalId === 'string' &&
    (target.data.externalId === undefined || target.data.externalId === null) &&
    byUserName !== undefined;
  if (!restoring && !linking) {
    const which =
      byUserName !== undefined
        ? `userName "${String(data.userName)}"`
        : `externalId "${String(data.externalId)}"`;
    throw new ScimError(409, 'uniqueness', `A User with ${which} already exists`);
  }
  const merged: Record<string, unknown> = { ...target.data, ...data };
  if (restoring && data.active === undefined) merged.active = true;
  const groups = restoring ? [] : await scope.tx.listGroupsOf(target.id);
  const access = toAccessState(accessFor(await scope.roleSettings(), merged, groups));
  const updated = await scope.tx.update({
    resourceType: 'User',
    id: target.id,
    now: scope.now,
    expectedVersion: target.version,
    data: storablePassword(ctx, 'User', merged, hashes, target.data),
    access,
    ...(restoring ? { deprovisionedAt: null, includeDeprovisioned: true } : {}),
  });
  const before = render(ctx, restoring ? { ...target, data: { ...target.data, active: false } } : target);
  scope.record(
    resourceEvents({
      resourceType: 'User',
      resourceId: target.id,
      before,
      after: render(ctx, updated),
      restored: restoring,
      ...(target.access ? { accessBefore: target.access } : {}),
      accessAfter: access,
    }),
  );
  return updated;
}

async function readForWrite(scope: WriteScope, type: string, id: string): Promise<StoredResource> {
  const existing = await scope.tx.getResource(type, id);
  if (existing === undefined) throw notFound(type, id);
  return existing;
}

function mentionsDisplayName(body: unknown): boolean {
  return /displayname/i.test(JSON.stringify(body));
}

/** Member ids whose access may change when a group is renamed or deleted (read before the write). */
async function membersIfMapped(
  ctx: RequestContext,
  type: string,
  id: string,
  body?: unknown,
): Promise<string[]> {
  if (!isGroup(type)) return [];
  const settings = await ctx.store.getRoleSettings(ctx.tenantId);
  if (!membershipMatters(settings)) return [];
  if (
    body !== undefined &&
    !(settings!.mappings.some((m) => m.match === 'displayName') && mentionsDisplayName(body))
  ) {
    return [];
  }
  const members = await loadAllMembers(ctx.store, ctx.tenantId, id).catch(() => []);
  return members.filter((m) => m.type === 'User').map((m) => m.value);
}

/** PUT /{type}/{id} */
export async function replaceResource(
  ctx: RequestContext,
  type: string,
  id: string,
  req: ProtocolRequest,
): Promise<ScimResponse> {
  const body = requireBody(req);
  const ifMatch = ifMatchVersions(req.headers['if-match']);
  const renamedMembers = await membersIfMapped(ctx, type, id, body);
  const hashes = await prehashPasswords(ctx, type, 'resource', body);
  const stored = await runWrite(
    ctx,
    async (scope) => {
      const existing = await readForWrite(scope, type, id);
      const before = render(ctx, existing);
      const validated = validateResource(body, {
        registry: ctx.registry,
        resourceType: type,
        mode: 'replace',
        existing: before,
        strict: ctx.policies.strictSchemas,
      });
      const split = splitResource(type, validated);
      const members = split.members;
      const data = storablePassword(ctx, type, split.data, hashes, existing.data);
      const access = isUser(type)
        ? toAccessState(accessFor(await scope.roleSettings(), data, await scope.tx.listGroupsOf(id)))
        : undefined;
      const refs = isGroup(type) ? await resolveMembers(scope.tx, members ?? []) : undefined;
      const updated = await scope.tx.update({
        resourceType: type,
        id,
        now: scope.now,
        expectedVersion: versionToWrite(ifMatch, existing),
        data,
        ...(access ? { access } : {}),
      });
      const changes = refs ? await scope.tx.applyMemberDelta(id, { replace: true, add: refs }) : undefined;
      scope.record(
        resourceEvents({
          resourceType: type,
          resourceId: id,
          before,
          after: render(ctx, updated),
          ...(changes ? { members: changes } : {}),
          ...(existing.access ? { accessBefore: existing.access } : {}),
          ...(access ? { accessAfter: access } : {}),
        }),
      );
      if (changes) await refreshAccess(scope, [...changes.added, ...changes.removed, ...renamedMembers]);
      return updated;
    },
    { retryOnVersionConflict: ifMatch === undefined },
  );
  return respondWith(ctx, req, 200, stored);
}

/** PATCH /{type}/{id}: member operations go to the store as a delta, never reading the members. */
export async function patchResource(
  ctx: RequestContext,
  type: string,
  id: string,
  req: ProtocolRequest,
): Promise<ScimResponse> {
  const body = requireBody(req);
  const ifMatch = ifMatchVersions(req.headers['if-match']);
  const renamedMembers = await membersIfMapped(ctx, type, id, body);
  const hashes = await prehashPasswords(ctx, type, 'patch', body);
  const stored = await runWrite(
    ctx,
    async (scope) => {
      const existing = await readForWrite(scope, type, id);
      const before = render(ctx, existing);
      const patched = applyPatch(before, body, {
        registry: ctx.registry,
        resourceType: type,
        membersExternal: isGroup(type),
        strict: ctx.policies.strictSchemas,
      });
      const resource = patched.resource;
      const delta = withoutDiscardedPassword(ctx, type, patched.delta);
      const attributesChanged = delta.changedAttributes.some((path) => path !== 'members');
      if (!attributesChanged && delta.members === undefined) {
        if (ifMatch !== undefined && !ifMatch.includes(existing.version)) {
          throw new ScimError(
            412,
            undefined,
            'The resource was modified: the If-Match version no longer matches; GET it again',
          );
        }
        return existing;
      }
      let data: Record<string, unknown> | undefined;
      if (attributesChanged) {
        const validated = validateResource(resource, {
          registry: ctx.registry,
          resourceType: type,
          mode: 'replace',
          existing: before,
          strict: ctx.policies.strictSchemas,
        });
        data = storablePassword(ctx, type, splitResource(type, validated).data, hashes, existing.data);
      }
      let memberDelta: MemberDelta | undefined;
      if (delta.members !== undefined) {
        const added: MemberRef[] = await resolveMembers(scope.tx, delta.members.added, {
          userTypeIsDefault: true,
        });
        memberDelta = delta.members.replaced
          ? { replace: true, add: added }
          : { add: added, remove: delta.members.removed };
      }
      const access = isUser(type)
        ? toAccessState(
            accessFor(await scope.roleSettings(), data ?? existing.data, await scope.tx.listGroupsOf(id)),
          )
        : undefined;
      const updated = await scope.tx.update({
        resourceType: type,
        id,
        now: scope.now,
        expectedVersion: versionToWrite(ifMatch, existing),
        ...(data ? { data } : {}),
        ...(access ? { access } : {}),
      });
      const changes = memberDelta ? await scope.tx.applyMemberDelta(id, memberDelta) : undefined;
      scope.record(
        resourceEvents({
          resourceType: type,
          resourceId: id,
          before,
          after: render(ctx, updated),
          delta,
          ...(changes ? { members: changes } : {}),
          ...(existing.access ? { accessBefore: existing.access } : {}),
          ...(access ? { accessAfter: access } : {}),
        }),
      );
      if (changes || renamedMembers.length > 0) {
        await refreshAccess(scope, [
          ...(changes?.added ?? []),
          ...(changes?.removed ?? []),
          ...renamedMembers,
        ]);
      }
      return updated;
    },
    { retryOnVersionConflict: ifMatch === undefined },
  );
  // RFC 7644 3.5.2: 204 is allowed, but a request with `attributes` must get 200 and the resource.
  const answer = isGroup(type) ? ctx.policies.groupPatchResponse : ctx.policies.patchResponse;
  if (answer === 'no-content' && !req.query.has('attributes'))
    return emptyResponse(204, { etag: formatEtag(stored.version) });
  return respondWith(ctx, req, 200, stored);
}

/**
 * DELETE /{type}/{id}. Users are deprovisioned by default (kept, inactive, hidden from SCIM and
 * removed from their groups); `policies.userDelete: 'hard'` deletes them. Groups are deleted with
 * their memberships; their former members' access is recomputed.
 */
export async function deleteResource(
  ctx: RequestContext,
  type: string,
  id: string,
  req: ProtocolRequest,
): Promise<ScimResponse> {
  const ifMatch = ifMatchVersions(req.headers['if-match']);
  const formerMembers = await membersIfMapped(ctx, type, id);
  await runWrite(ctx, async (scope) => {
    const existing = await readForWrite(scope, type, id);
    if (isUser(type) && ctx.policies.userDelete === 'deprovision') {
      const groups = ctx.policies.removeMembershipsOnDeprovision ? await scope.tx.listGroupsOf(id) : [];
      const data = storablePassword(ctx, type, { ...existing.data, active: false }, new Map(), existing.data);
      const access = toAccessState(accessFor(await scope.roleSettings(), data, []));
      await scope.tx.update({
        resourceType: type,
        id,
        now: scope.now,
        expectedVersion: versionToWrite(ifMatch, existing),
        data,
        access,
        deprovisionedAt: scope.now,
      });
      for (const group of groups) {
        const changes = await scope.tx.applyMemberDelta(group.id, { remove: [id] });
        if (changes.removed.length === 0) continue;
        await scope.tx.update({ resourceType: 'Group', id: group.id, now: scope.now });
        scope.record(
          resourceEvents({
            resourceType: 'Group',
            resourceId: group.id,
            before: { schemas: [] },
            after: { schemas: [] },
            members: changes,
          }),
        );
      }
      scope.record(
        resourceEvents({
          resourceType: type,
          resourceId: id,
          before: render(ctx, existing),
          deprovisioned: true,
          ...(existing.access ? { accessBefore: existing.access } : {}),
          accessAfter: access,
        }),
      );
      return;
    }
    await scope.tx.delete(type, id, { expectedVersion: versionToWrite(ifMatch, existing) });
    scope.record(
      resourceEvents({ resourceType: type, resourceId: id, before: render(ctx, existing), deleted: true }),
    );
    if (isGroup(type)) await refreshAccess(scope, formerMembers);
  });
  return emptyResponse(204);
}
