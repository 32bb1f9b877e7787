import type { AccessState, MemberRef, SchemaRegistry } from '@scim/core';
import type { MembershipDocument, ResourceDocument } from './collections.js';
import { SEARCH_ID_FIELD } from './compile-filter.js';
import { encodeFieldKey } from './field-key.js';
import { type ResourceLayout, normaliseLeaf } from './resource-layout.js';

/** What a resource document is built from. */
export interface ResourceDocumentInput {
  tenantId: string;
  resourceType: string;
  id: string;
  version: number;
  created: string;
  lastModified: string;
  data: Record<string, unknown>;
  deprovisionedAt?: string;
  access?: AccessState;
}

/** The derived fields of a resource document: the query mirror, the sort keys and the unique keys. */
export function derivedFields(
  layout: ResourceLayout,
  input: Pick<ResourceDocumentInput, 'id' | 'resourceType' | 'created' | 'lastModified' | 'data'>,
): Pick<ResourceDocument, '_s' | '_m' | '_sort' | '_u'> {
  const search = layout.searchMirror(input.data);
  search[SEARCH_ID_FIELD] = input.id.toLowerCase();
  return {
    _s: search,
    _m: metaMirror(input.resourceType, input.created, input.lastModified),
    _sort: layout.sortKeys(input.data),
    _u: layout.uniqueKeys(input.data),
  };
}

/** The mirror of `meta`: times as epoch milliseconds, like every dateTime in `_s`. */
export function metaMirror(
  resourceType: string,
  created: string,
  lastModified: string,
): Record<string, unknown> {
  return {
    resourceType,
    created: normaliseLeaf(created, { type: 'dateTime', caseExact: false }),
    lastModified: normaliseLeaf(lastModified, { type: 'dateTime', caseExact: false }),
  };
}

/** Builds the document stored for a resource (`data` kept exactly as given). */
export function toResourceDocument(layout: ResourceLayout, input: ResourceDocumentInput): ResourceDocument {
  const document: ResourceDocument = {
    tenantId: input.tenantId,
    resourceType: input.resourceType,
    id: input.id,
    version: input.version,
    created: input.created,
    lastModified: input.lastModified,
    data: input.data,
    ...derivedFields(layout, input),
  };
  if (input.deprovisionedAt !== undefined) document.deprovisionedAt = input.deprovisionedAt;
  if (input.access !== undefined) document.access = input.access;
  return document;
}

/** Builds the document of one membership; `_s` mirrors the member as an element of Group `members`. */
export function toMembershipDocument(
  registry: SchemaRegistry,
  tenantId: string,
  groupId: string,
  member: MemberRef,
): MembershipDocument {
  const members = registry.resolve('Group', { attribute: 'members' })?.definition;
  const search: Record<string, unknown> = {};
  const element: Record<string, unknown> = { value: member.value, type: member.type };
  if (member.display !== undefined) element.display = member.display;
  for (const [name, value] of Object.entries(element)) {
    const sub = members?.subAttributes?.find((candidate) => candidate.name === name);
    const normalised = normaliseLeaf(value, sub ?? { type: 'string', caseExact: false });
    if (normalised !== undefined) search[encodeFieldKey(name)] = normalised;
  }
  const document: MembershipDocument = {
    tenantId,
    groupId,
    memberId: member.value,
    type: member.type,
    _s: search,
  };
  if (member.display !== undefined) document.display = member.display;
  return document;
}
