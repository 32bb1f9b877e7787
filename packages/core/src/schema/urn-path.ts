import type { AttributeReference, SchemaRegistry } from './types.js';

/**
 * Splits a textual attribute path (`name.givenName`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`, or a schema URN alone)
 * into its parts. The URN prefix is matched case-insensitively against the schemas of `resourceType`
 * (longest first) and returned canonical; a URN alone yields `attribute: ''`. Undefined when the path
 * starts with `urn:` but names no schema of the resource type.
 *
 * @example
 * splitAttributePath(defaultSchemaRegistry, 'User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value');
 * // { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attribute: 'manager', subAttribute: 'value' }
 */
export function splitAttributePath(
  registry: SchemaRegistry,
  resourceType: string,
  text: string,
): AttributeReference | undefined {
  const path = text.trim();
  let schema: string | undefined;
  let rest = path;
  if (/^urn:/i.test(path)) {
    const lowerPath = path.toLowerCase();
    const candidates = [...registry.schemasOf(resourceType)].sort((a, b) => b.id.length - a.id.length);
    for (const candidate of candidates) {
      const id = candidate.id.toLowerCase();
      if (lowerPath === id) return { schema: candidate.id, attribute: '' };
      if (lowerPath.startsWith(`${id}:`)) {
        schema = candidate.id;
        rest = path.slice(id.length + 1);
        break;
      }
    }
    if (schema === undefined) return undefined;
  }
  const dot = rest.indexOf('.');
  const reference: AttributeReference = { attribute: dot < 0 ? rest : rest.slice(0, dot) };
  if (schema !== undefined) reference.schema = schema;
  if (dot >= 0) reference.subAttribute = rest.slice(dot + 1);
  return reference;
}
