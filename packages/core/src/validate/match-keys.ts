import { ScimError } from '../errors/scim-error.js';
import type { AttributeDefinition } from '../schema/types.js';

/** The keys of an input object matched to definitions, case-insensitively. */
export interface MatchedKeys {
  /** Definition -> the value the client sent for it. */
  values: Map<AttributeDefinition, unknown>;
  /** Keys that match no definition (as sent). */
  unknown: string[];
}

/**
 * Matches the own keys of `input` to `definitions` case-insensitively (Entra sends `UserName`,
 * `Primary`). Two keys naming the same attribute are a 400 invalidSyntax. Keys are only read, never
 * used to create properties, so `__proto__` and friends land in `unknown`.
 */
export function matchKeys(
  input: Record<string, unknown>,
  definitions: readonly AttributeDefinition[],
  where: string,
): MatchedKeys {
  const byName = new Map<string, AttributeDefinition>();
  for (const definition of definitions) byName.set(definition.name.toLowerCase(), definition);
  const values = new Map<AttributeDefinition, unknown>();
  const sentAs = new Map<AttributeDefinition, string>();
  const unknown: string[] = [];
  for (const key of Object.keys(input)) {
    const definition = byName.get(key.toLowerCase());
    if (definition === undefined) {
      unknown.push(key);
      continue;
    }
    const previous = sentAs.get(definition);
    if (previous !== undefined) {
      throw new ScimError(
        400,
        'invalidSyntax',
        `Attribute "${definition.name}"${where} appears twice (as "${previous}" and "${key}"); send it once`,
      );
    }
    sentAs.set(definition, key);
    values.set(definition, input[key]);
  }
  return { values, unknown };
}
