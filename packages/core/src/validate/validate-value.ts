import { ScimError } from '../errors/scim-error.js';
import type { AttributeDefinition } from '../schema/types.js';
import { isXsdDateTime } from '../util/date-time.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { describeValue } from './describe-value.js';
import { matchKeys } from './match-keys.js';

/** Options of `validateAttributeValue`. */
export interface ValidateValueOptions {
  /** The attribute's path as the client would write it, used in error details (`emails`, `name.givenName`). */
  path: string;
  /**
   * Strict mode: unknown sub-attributes are a 400 invalidSyntax instead of being dropped,
   * canonicalValues are enforced, a single value is not accepted for a multi-valued attribute, and a
   * bare string is not read as `{ value }` of a complex attribute.
   * @default false
   */
  strict?: boolean;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function invalid(path: string, expected: string, value: unknown): ScimError {
  return new ScimError(
    400,
    'invalidValue',
    `Attribute "${path}" must be ${expected}; got ${describeValue(value)}`,
  );
}

function validateScalar(
  value: unknown,
  definition: AttributeDefinition,
  path: string,
  strict: boolean,
): unknown {
  switch (definition.type) {
    case 'string': {
      if (typeof value !== 'string') throw invalid(path, 'a string', value);
      // RFC 7643 4.1.1 asks for a non-empty userName; an empty string satisfies no required attribute.
      if (value === '' && definition.required) {
        throw new ScimError(400, 'invalidValue', `Attribute "${path}" is required and must not be empty`);
      }
      const canonical = definition.canonicalValues ?? [];
      if (strict && canonical.length > 0) {
        const matches = definition.caseExact
          ? canonical.includes(value)
          : canonical.some((candidate) => candidate.toLowerCase() === value.toLowerCase());
        if (!matches) {
          throw new ScimError(
            400,
            'invalidValue',
            `Attribute "${path}" must be one of ${canonical.map((c) => JSON.stringify(c)).join(', ')}; got ${describeValue(value)}`,
          );
        }
      }
      return value;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      // Entra ID and others send booleans as "True" / "False".
      if (typeof value === 'string') {
        const text = value.trim().toLowerCase();
        if (text === 'true') return true;
        if (text === 'false') return false;
      }
      throw invalid(path, 'a boolean (true or false)', value);
    }
    case 'integer': {
      const number = typeof value === 'string' && INTEGER.test(value.trim()) ? Number(value.trim()) : value;
      if (typeof number !== 'number' || !Number.isInteger(number)) throw invalid(path, 'an integer', value);
      if (!Number.isSafeInteger(number))
        throw invalid(path, `an integer within +/-${Number.MAX_SAFE_INTEGER}`, value);
      return number;
    }
    case 'decimal': {
      const number = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : value;
      if (typeof number !== 'number' || !Number.isFinite(number))
        throw invalid(path, 'a decimal number', value);
      return number;
    }
    case 'dateTime': {
      if (typeof value !== 'string' || !isXsdDateTime(value)) {
        throw invalid(path, 'an xsd:dateTime such as "2015-09-01T10:00:00Z"', value);
      }
      return value;
    }
    case 'binary': {
      if (typeof value !== 'string' || !BASE64.test(value))
        throw invalid(path, 'base64-encoded binary data', value);
      return value;
    }
    case 'reference': {
      if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) {
        throw invalid(path, 'a URI reference (a string without spaces)', value);
      }
      return value;
    }
    case 'complex': {
      // Entra ID sends the enterprise `manager` as a bare id: read it as `{ value }` unless strict.
      const hasValue = (definition.subAttributes ?? []).some(
        (sub) => sub.name === 'value' && sub.type !== 'complex',
      );
      if (!strict && hasValue && typeof value === 'string')
        return validateComplex({ value }, definition, path, strict);
      return validateComplex(value, definition, path, strict);
    }
  }
}

function validateComplex(
  value: unknown,
  definition: AttributeDefinition,
  path: string,
  strict: boolean,
): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(path, 'an object', value);
  const subAttributes = definition.subAttributes ?? [];
  const { values, unknown } = matchKeys(value, subAttributes, ` of "${path}"`);
  if (strict && unknown.length > 0) {
    throw new ScimError(400, 'invalidSyntax', `Unknown sub-attribute "${unknown[0]}" of "${path}"`);
  }
  const result: Record<string, unknown> = {};
  for (const sub of subAttributes) {
    const raw = values.get(sub);
    // readOnly sub-attributes (e.g. manager.displayName) are set by the service provider only.
    if (raw === undefined || raw === null || sub.mutability === 'readOnly') continue;
    const checked = validateScalar(raw, sub, `${path}.${sub.name}`, strict);
    result[sub.name] = checked;
  }
  // Nothing assigned: the caller treats the value as unassigned rather than as missing parts.
  if (Object.keys(result).length === 0) return result;
  for (const sub of subAttributes) {
    if (sub.required && sub.mutability !== 'readOnly' && !(sub.name in result)) {
      throw new ScimError(400, 'invalidValue', `Sub-attribute "${path}.${sub.name}" is required`);
    }
  }
  return result;
}

/**
 * Checks and coerces one attribute value against its definition, the way `validateResource` does
 * for every attribute (PATCH uses it for each operation's value). Strings that IdPs send for other
 * types are coerced where the type says so ("True" -> true, "42" -> 42); sub-attribute names are
 * matched case-insensitively and returned canonical; readOnly sub-attributes are dropped.
 * Returns `undefined` for an unassigned value (`null`, an empty list, or an object left empty).
 * Throws `ScimError` 400 invalidValue naming `options.path` for a wrong type or more than one
 * `primary: true`, and 400 invalidSyntax for an unknown sub-attribute in strict mode.
 */
export function validateAttributeValue(
  value: unknown,
  definition: AttributeDefinition,
  options: ValidateValueOptions,
): unknown {
  const strict = options.strict ?? false;
  const path = options.path;
  if (value === null || value === undefined) return undefined;
  if (!definition.multiValued) {
    if (Array.isArray(value)) throw invalid(path, `a single ${definition.type} value, not a list`, value);
    const result = validateScalar(value, definition, path, strict);
    if (isPlainObject(result) && Object.keys(result).length === 0) return undefined;
    return result;
  }
  if (!Array.isArray(value) && strict) throw invalid(path, 'a list (JSON array)', value);
  const items: readonly unknown[] = Array.isArray(value) ? value : [value];
  const result: unknown[] = [];
  let primaries = 0;
  items.forEach((item, index) => {
    if (item === null || item === undefined) return;
    const itemPath = `${path}[${index}]`;
    if (Array.isArray(item)) throw invalid(itemPath, `a single ${definition.type} value, not a list`, item);
    const checked = validateScalar(item, definition, itemPath, strict);
    if (isPlainObject(checked)) {
      if (Object.keys(checked).length === 0) return;
      if (checked.primary === true) primaries += 1;
    }
    result.push(checked);
  });
  if (primaries > 1) {
    throw new ScimError(
      400,
      'invalidValue',
      `Attribute "${path}" has ${primaries} values with "primary": true; at most one value may be primary`,
    );
  }
  return result.length === 0 ? undefined : result;
}
