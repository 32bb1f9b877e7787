import { ScimError } from '../errors/scim-error.js';
import type { AttributeDefinition } from '../schema/types.js';
import { validateAttributeValue } from '../validate/validate-value.js';
import { isPlainObject } from './changed-attributes.js';
import type { DialectName } from './dialects.js';

/** What value preparation needs to know. */
export interface ValueContext {
  dialects: Readonly<Record<DialectName, boolean>>;
  strict: boolean;
}

/** The definition of one element of a multi-valued attribute. */
export function elementDefinition(definition: AttributeDefinition): AttributeDefinition {
  return definition.multiValued ? { ...definition, multiValued: false } : definition;
}

/**
 * Checks and coerces one value for a singular attribute (or one element of a multi-valued one),
 * after the dialect rules that reshape it: `managerAsString`, and with `stringBooleans` /
 * `stringNumbers` switched off, the refusal of strings where booleans or numbers belong.
 * Returns `undefined` for an unassigned value (`null`, or an object left empty).
 */
export function prepareValue(
  value: unknown,
  definition: AttributeDefinition,
  path: string,
  context: ValueContext,
): unknown {
  let input = value;
  if (
    context.dialects.managerAsString &&
    typeof input === 'string' &&
    definition.type === 'complex' &&
    !definition.multiValued &&
    definition.subAttributes?.some((sub) => sub.name === 'value')
  ) {
    input = { value: input };
  }
  rejectStringScalars(input, definition, path, context);
  return validateAttributeValue(input, definition, { path, strict: context.strict });
}

/**
 * The elements of a value given for a multi-valued attribute, each checked: an array, or with
 * `singleValueForMultiValued` a single value taken as one element. `null` and `[]` give `[]`.
 */
export function prepareElements(
  value: unknown,
  definition: AttributeDefinition,
  path: string,
  context: ValueContext,
): unknown[] {
  if (value === null || value === undefined) return [];
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (context.dialects.singleValueForMultiValued) items = [value];
  else {
    throw new ScimError(
      400,
      'invalidValue',
      `Attribute "${path}" is multi-valued; send its values as a JSON array`,
    );
  }
  const single = elementDefinition(definition);
  const result: unknown[] = [];
  items.forEach((item, index) => {
    const prepared = prepareValue(item, single, `${path}[${index}]`, context);
    if (prepared !== undefined) result.push(prepared);
  });
  return result;
}

function rejectStringScalars(
  value: unknown,
  definition: AttributeDefinition,
  path: string,
  context: ValueContext,
): void {
  if (definition.type === 'complex') {
    // The validator itself reads a bare string as `{ value }`; with the rule off, refuse it first.
    if (typeof value === 'string' && !context.dialects.managerAsString) {
      throw new ScimError(
        400,
        'invalidValue',
        `Attribute "${path}" is complex; send an object such as {"value": "${value}"}, not a string`,
      );
    }
    if (!isPlainObject(value)) return;
    for (const [key, item] of Object.entries(value)) {
      const sub = definition.subAttributes?.find(
        (candidate) => candidate.name.toLowerCase() === key.toLowerCase(),
      );
      if (sub !== undefined) rejectStringScalars(item, sub, `${path}.${sub.name}`, context);
    }
    return;
  }
  if (typeof value !== 'string') return;
  if (definition.type === 'boolean' && !context.dialects.stringBooleans) {
    throw new ScimError(
      400,
      'invalidValue',
      `Attribute "${path}" must be a JSON boolean (true or false), not the string "${value}"`,
    );
  }
  if ((definition.type === 'integer' || definition.type === 'decimal') && !context.dialects.stringNumbers) {
    throw new ScimError(
      400,
      'invalidValue',
      `Attribute "${path}" must be a JSON number, not the string "${value}"`,
    );
  }
}
