import type { FilterNode, MemberRef, SchemaRegistry, ScimResource } from '@scim/core';
import { evaluateFilter, parseFilter } from '@scim/core';
import { Query } from 'mingo';
import type { MembershipDocument, ResourceDocument } from '../src/collections.js';
import { compileFilter } from '../src/compile-filter.js';
import { toMembershipDocument, toResourceDocument } from '../src/resource-document.js';
import { createResourceLayout } from '../src/resource-layout.js';

/** mingo's `test` takes plain records; the store's document types are records too. */
function matches(query: Query, document: object): boolean {
  return query.test(document as Record<string, unknown>);
}

/** A resource of the test data set, as a store would be given it. */
export interface SampleResource {
  resourceType: string;
  id: string;
  created: string;
  lastModified: string;
  data: Record<string, unknown>;
  members?: MemberRef[];
}

/**
 * The differential oracle without a server: the store's document layout is built exactly as the
 * store builds it, each filter is compiled by the store's compiler, and the query is run by mingo (a
 * MongoDB query engine in JavaScript). The reference answer is `evaluateFilter` over the SCIM view
 * of the same resources (data, id, meta, and members/groups), as the memory store computes it.
 */
export function createOracle(
  registry: SchemaRegistry,
  samples: readonly SampleResource[],
  referenceView?: (sample: SampleResource) => ScimResource,
) {
  const layouts = new Map<string, ReturnType<typeof createResourceLayout>>();
  const layoutOf = (type: string) => {
    let layout = layouts.get(type);
    if (!layout) {
      layout = createResourceLayout(registry, type);
      layouts.set(type, layout);
    }
    return layout;
  };
  const documents: ResourceDocument[] = samples.map((sample) =>
    toResourceDocument(layoutOf(sample.resourceType), {
      tenantId: 't',
      resourceType: sample.resourceType,
      id: sample.id,
      version: 1,
      created: sample.created,
      lastModified: sample.lastModified,
      data: structuredClone(sample.data),
    }),
  );
  const memberships: MembershipDocument[] = samples.flatMap((sample) =>
    (sample.members ?? []).map((member) => toMembershipDocument(registry, 't', sample.id, member)),
  );
  const byId = new Map(samples.map((sample) => [sample.id, sample]));

  const view = (sample: SampleResource): ScimResource => {
    const resource: ScimResource = {
      ...(structuredClone(sample.data) as ScimResource),
      id: sample.id,
      meta: {
        resourceType: sample.resourceType,
        created: sample.created,
        lastModified: sample.lastModified,
        version: 'W/"1"',
      },
    };
    if (sample.resourceType === 'Group') resource.members = structuredClone(sample.members ?? []);
    if (sample.resourceType === 'User') {
      resource.groups = samples
        .filter(
          (group) => group.resourceType === 'Group' && group.members?.some((m) => m.value === sample.id),
        )
        .map((group) => ({ value: group.id, display: String(group.data.displayName ?? ''), type: 'direct' }));
    }
    return resource;
  };

  const relations = {
    async groupsWithMember(filter: Record<string, unknown>) {
      const query = new Query(filter);
      return [...new Set(memberships.filter((m) => matches(query, m)).map((m) => m.groupId))];
    },
    async membersOfGroups(filter: Record<string, unknown>) {
      const query = new Query(filter);
      const groups = new Set(
        documents.filter((d) => d.resourceType === 'Group' && matches(query, d)).map((d) => d.id),
      );
      return [...new Set(memberships.filter((m) => groups.has(m.groupId)).map((m) => m.memberId))];
    },
  };

  return {
    documents,
    memberships,
    /** The ids the compiled query selects (mingo) and the ids `evaluateFilter` selects. */
    async compare(resourceType: string, text: string) {
      const node: FilterNode = parseFilter(text, { registry, resourceType });
      const query = await compileFilter(node, { resourceType, registry, relations });
      const mongo = new Query(query);
      const actual = documents
        .filter((d) => d.resourceType === resourceType && matches(mongo, d))
        .map((d) => d.id)
        .sort();
      const expected = samples
        .filter((s) => s.resourceType === resourceType)
        .filter((s) => evaluateFilter(node, (referenceView ?? view)(s), { registry, resourceType }))
        .map((s) => s.id)
        .sort();
      return { actual, expected, query };
    },
    byId,
  };
}
