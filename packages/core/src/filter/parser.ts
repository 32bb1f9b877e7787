import type { CompareOperator, FilterNode, FilterPath, FilterValue, PatchPath } from './ast.js';
import { type PathErrorType, pathError, quote } from './errors.js';
import { DEFAULT_FILTER_LIMITS, type FilterLimits } from './limits.js';
import { Lexer, type Token } from './tokenizer.js';

/** A Map, not an object literal: a word such as `constructor` must not find Object.prototype's. */
const OPERATORS: ReadonlyMap<string, CompareOperator | 'pr'> = new Map(
  (['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'] as const).map((op) => [op, op]),
);

const OPERATOR_LIST = 'eq, ne, co, sw, ew, gt, ge, lt, le or pr';

function isKeyword(token: Token, keyword: string): boolean {
  return (
    token.kind === 'word' && token.text.length === keyword.length && token.text.toLowerCase() === keyword
  );
}

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
}

/**
 * True for an RFC 7644 ATTRNAME (`ALPHA *(ALPHA / DIGIT / "-" / "_")`) or for `$ref`, the reserved
 * sub-attribute name that RFC 7643 itself uses (`members.$ref`).
 */
export function isAttributeName(name: string): boolean {
  if (name.length === 4 && name.toLowerCase() === '$ref') return true;
  if (name.length === 0 || !isNameStart(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false;
  return true;
}

/**
 * Splits one attribute-path word (`name.familyName`, `urn:…:User:userName`, `urn:…:enterprise:2.0:User:manager.value`)
 * into schema, attribute and sub-attribute. The URN ends at the last colon: an ATTRNAME never contains one.
 */
export function splitPathWord(word: string, start: number, errorType: PathErrorType): FilterPath {
  const at = `at position ${start + 1}`;
  const colon = word.lastIndexOf(':');
  let rest = word;
  let schema: string | undefined;
  if (colon >= 0) {
    schema = word.slice(0, colon);
    rest = word.slice(colon + 1);
    if (schema.length < 5 || schema.slice(0, 4).toLowerCase() !== 'urn:') {
      throw pathError(
        errorType,
        `${quote(word)} ${at} is not a valid attribute path: a schema prefix must be a URN such as urn:ietf:params:scim:schemas:core:2.0:User`,
      );
    }
    if (schema.includes('::')) {
      throw pathError(
        errorType,
        `${quote(word)} ${at} is not a valid attribute path: the URN has an empty part`,
      );
    }
    if (rest === '') {
      throw pathError(
        errorType,
        `${quote(word)} ${at} ends with ":"; name an attribute after the schema URN (for example ${schema}:userName)`,
      );
    }
  }
  const dot = rest.indexOf('.');
  const attribute = dot < 0 ? rest : rest.slice(0, dot);
  const subAttribute = dot < 0 ? undefined : rest.slice(dot + 1);
  if (!isAttributeName(attribute)) {
    throw pathError(
      errorType,
      `${quote(word)} ${at} is not a valid attribute path: attribute names start with a letter and contain only letters, digits, "-" and "_"`,
    );
  }
  if (subAttribute !== undefined && !isAttributeName(subAttribute)) {
    throw pathError(
      errorType,
      subAttribute.includes('.')
        ? `${quote(word)} ${at} is not a valid attribute path: only one sub-attribute level exists (attribute.subAttribute)`
        : `${quote(word)} ${at} is not a valid attribute path: the sub-attribute after "." must start with a letter and contain only letters, digits, "-" and "_"`,
    );
  }
  const path: FilterPath = { attribute };
  if (schema !== undefined) path.schema = schema;
  if (subAttribute !== undefined) path.subAttribute = subAttribute;
  return path;
}

type Mode = 'filter' | 'patch' | 'attribute';

/** A recursive-descent parser over `Lexer`; depth and node count are bounded by the limits. */
class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private depth = 0;
  private nodes = 0;
  private readonly maxDepth: number;
  private readonly maxNodes: number;
  private readonly errorType: PathErrorType;
  private readonly mode: Mode;

  constructor(text: string, limits: Required<FilterLimits>, errorType: PathErrorType, mode: Mode) {
    this.errorType = errorType;
    this.mode = mode;
    this.maxDepth = limits.maxDepth;
    this.maxNodes = limits.maxNodes;
    this.lexer = new Lexer(text, errorType);
    this.token = this.lexer.next();
  }

  private get what(): string {
    return this.mode === 'filter' ? 'filter' : 'path';
  }

  private advance(): void {
    this.token = this.lexer.next();
  }

  /** The current token, read through a call so that TypeScript does not keep a narrowing across advance(). */
  private peek(): Token {
    return this.token;
  }

  private fail(detail: string): never {
    throw pathError(this.errorType, detail);
  }

  private found(token: Token = this.token): string {
    return token.kind === 'end' ? `the end of the ${this.what}` : quote(token.text);
  }

  private expected(what: string, note = ''): never {
    this.fail(`Expected ${what} at position ${this.token.start + 1}${note}, found ${this.found()}`);
  }

  private enter(at: Token): void {
    this.depth++;
    if (this.depth > this.maxDepth) {
      this.fail(`The ${this.what} is nested deeper than ${this.maxDepth} levels at position ${at.start + 1}`);
    }
  }

  private node<T extends FilterNode>(node: T): T {
    this.nodes++;
    if (this.nodes > this.maxNodes) {
      this.fail(
        `The ${this.what} has more than ${this.maxNodes} expressions (limit reached at position ${this.token.start + 1})`,
      );
    }
    return node;
  }

  parseFilter(): FilterNode {
    if (this.token.kind === 'end')
      this.fail('The filter is empty; write an expression such as userName eq "bjensen"');
    const node = this.parseOr(undefined);
    if (this.peek().kind !== 'end') {
      if (this.token.kind === ')') {
        this.fail(`Unmatched ")" at position ${this.token.start + 1}`);
      }
      this.expected('"and", "or" or the end of the filter');
    }
    return node;
  }

  parsePatchPath(): PatchPath {
    const path = this.firstPath();
    const result: PatchPath = { path };
    if (this.token.kind === '[') {
      result.filter = this.valueFilter(path);
      if (this.peek().kind === 'word' && this.token.text.charCodeAt(0) === 0x2e) {
        const sub = this.token.text.slice(1);
        if (!isAttributeName(sub)) {
          this.fail(
            `${quote(this.token.text)} at position ${this.token.start + 1} is not a valid sub-attribute: write "].value" with a name that starts with a letter`,
          );
        }
        result.subAttribute = sub;
        this.advance();
      }
    }
    if (this.token.kind !== 'end') {
      this.expected(
        result.filter === undefined
          ? 'a value filter "[...]" or the end of the path'
          : 'a sub-attribute ".name" or the end of the path',
      );
    }
    return result;
  }

  parseAttributePath(): FilterPath {
    const path = this.firstPath();
    if (this.token.kind === '[') {
      this.fail(
        `A value filter "[...]" is not allowed in an attribute path (position ${this.token.start + 1}); name an attribute such as emails.value`,
      );
    }
    if (this.token.kind !== 'end') this.expected('the end of the attribute path');
    return path;
  }

  private firstPath(): FilterPath {
    if (this.token.kind !== 'word') {
      if (this.token.kind === 'end' && this.token.start === 0)
        this.fail('The path is empty; name an attribute');
      this.expected('an attribute path');
    }
    const path = splitPathWord(this.token.text, this.token.start, this.errorType);
    this.advance();
    return path;
  }

  private parseOr(scope: FilterPath | undefined): FilterNode {
    let left = this.parseAnd(scope);
    while (isKeyword(this.token, 'or')) {
      this.advance();
      const right = this.parseAnd(scope);
      left = this.node({ op: 'or', left, right });
    }
    return left;
  }

  private parseAnd(scope: FilterPath | undefined): FilterNode {
    let left = this.parseUnary(scope);
    while (isKeyword(this.token, 'and')) {
      this.advance();
      const right = this.parseUnary(scope);
      left = this.node({ op: 'and', left, right });
    }
    return left;
  }

  private parseUnary(scope: FilterPath | undefined): FilterNode {
    const token = this.token;
    if (token.kind === '(') {
      return this.group(scope);
    }
    if (token.kind === 'word') {
      // `not` is a keyword only before "(": an attribute may itself be called "not".
      if (isKeyword(token, 'not') && this.lexer.peekChar() === 0x28) {
        this.advance();
        const inner = this.group(scope);
        return this.node({ op: 'not', filter: inner });
      }
      return this.attributeExpression(scope);
    }
    this.expected(`an attribute path, "(" or "not ("`);
  }

  private group(scope: FilterPath | undefined): FilterNode {
    const open = this.token;
    this.enter(open);
    this.advance();
    const inner = this.parseOr(scope);
    if (this.token.kind !== ')') {
      this.expected(`"and", "or" or ")"`, ` (to close the "(" at position ${open.start + 1})`);
    }
    this.advance();
    this.depth--;
    return inner;
  }

  private valueFilter(path: FilterPath): FilterNode {
    const open = this.token;
    if (path.subAttribute !== undefined) {
      this.fail(
        `A value filter "[...]" at position ${open.start + 1} must follow a top-level attribute (for example emails[type eq "work"]), not the sub-attribute ${path.attribute}.${path.subAttribute}`,
      );
    }
    this.enter(open);
    this.advance();
    if (this.token.kind === ']') this.fail(`Empty value filter "[]" at position ${open.start + 1}`);
    const inner = this.parseOr(path);
    if (this.peek().kind !== ']') {
      this.expected(`"and", "or" or "]"`, ` (to close the "[" at position ${open.start + 1})`);
    }
    this.advance();
    this.depth--;
    return inner;
  }

  private attributeExpression(scope: FilterPath | undefined): FilterNode {
    const pathToken = this.token;
    const path = scope === undefined ? this.topPath(pathToken) : this.innerPath(pathToken, scope);
    this.advance();
    const token = this.token;
    if (token.kind === '[') {
      if (scope !== undefined) {
        this.fail(
          `Value filters cannot be nested: ${quote(pathToken.text)} at position ${pathToken.start + 1} inside ${scope.attribute}[...] cannot have its own "[...]"`,
        );
      }
      const filter = this.valueFilter(path);
      if (this.peek().kind === 'word' && this.token.text.charCodeAt(0) === 0x2e) {
        return this.node({ op: 'valuePath', path, filter: this.subAttributeCondition(path, filter) });
      }
      return this.node({ op: 'valuePath', path, filter });
    }
    const op = token.kind === 'word' ? OPERATORS.get(token.text.toLowerCase()) : undefined;
    if (op === undefined) {
      if (isKeyword(pathToken, 'not')) {
        this.fail(
          `"not" at position ${pathToken.start + 1} must be followed by a parenthesised filter: not (${token.kind === 'end' ? '...' : `${token.text} ...`})`,
        );
      }
      this.expected(`an operator (${OPERATOR_LIST}) after ${quote(pathToken.text)}`);
    }
    this.advance();
    if (op === 'pr') return this.node({ op: 'pr', path });
    const value = this.compareValue(op);
    return this.node({ op, path, value });
  }

  /**
   * `emails[type eq "work"].value eq "x"`: RFC 7644's filter grammar has no sub-attribute after a
   * value filter, but Microsoft Entra ID documents and sends this form for its matching attributes.
   * It means "some element matches both", so it is read as `emails[type eq "work" and value eq "x"]`,
   * which is what every store already compiles.
   */
  private subAttributeCondition(path: FilterPath, filter: FilterNode): FilterNode {
    const subToken = this.token;
    const sub = subToken.text.slice(1);
    if (!isAttributeName(sub)) {
      this.fail(
        `${quote(subToken.text)} at position ${subToken.start + 1} is not a valid sub-attribute: write "].value" with a name that starts with a letter`,
      );
    }
    const inner: FilterPath = { attribute: path.attribute, subAttribute: sub };
    if (path.schema !== undefined) inner.schema = path.schema;
    this.advance();
    const token = this.token;
    const op = token.kind === 'word' ? OPERATORS.get(token.text.toLowerCase()) : undefined;
    if (op === undefined) {
      this.expected(
        `an operator (${OPERATOR_LIST}) after ${quote(`${path.attribute}[...]${subToken.text}`)}`,
      );
    }
    this.advance();
    const condition: FilterNode =
      op === 'pr'
        ? this.node({ op: 'pr', path: { ...inner } })
        : this.node({ op, path: { ...inner }, value: this.compareValue(op) });
    return this.node({ op: 'and', left: filter, right: condition });
  }

  private topPath(token: Token): FilterPath {
    return splitPathWord(token.text, token.start, this.errorType);
  }

  private innerPath(token: Token, scope: FilterPath): FilterPath {
    const name = token.text;
    if (!isAttributeName(name)) {
      this.fail(
        `Inside ${scope.attribute}[...] name a sub-attribute of ${scope.attribute} (for example value or type); ${quote(name)} at position ${token.start + 1} is not one`,
      );
    }
    const path: FilterPath = { attribute: scope.attribute, subAttribute: name };
    if (scope.schema !== undefined) return { schema: scope.schema, ...path };
    return path;
  }

  private compareValue(op: CompareOperator): FilterValue {
    const token = this.token;
    let value: FilterValue;
    if (token.kind === 'string' || token.kind === 'number') {
      value = token.value as string | number;
    } else if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true') value = true;
      else if (lower === 'false') value = false;
      else if (lower === 'null') value = null;
      else {
        this.fail(
          `Expected a value after "${op}" at position ${token.start + 1}, found ${quote(token.text)}: strings must be in double quotes, for example "${token.text}"`,
        );
      }
    } else {
      this.expected(`a value ("a string", a number, true, false or null) after "${op}"`);
    }
    if (value === null && op !== 'eq' && op !== 'ne') {
      this.fail(
        `null can only be compared with eq or ne (position ${token.start + 1}); "x eq null" means x is not present`,
      );
    }
    this.advance();
    return value;
  }
}

function fullLimits(limits: FilterLimits | undefined): Required<FilterLimits> {
  return {
    maxLength: limits?.maxLength ?? DEFAULT_FILTER_LIMITS.maxLength,
    maxDepth: limits?.maxDepth ?? DEFAULT_FILTER_LIMITS.maxDepth,
    maxNodes: limits?.maxNodes ?? DEFAULT_FILTER_LIMITS.maxNodes,
  };
}

function checkInput(
  text: unknown,
  limits: Required<FilterLimits>,
  errorType: PathErrorType,
  what: string,
): string {
  if (typeof text !== 'string') throw pathError(errorType, `The ${what} must be a string`);
  if (text.length > limits.maxLength) {
    throw pathError(
      errorType,
      `The ${what} is ${text.length} characters long; at most ${limits.maxLength} are accepted`,
    );
  }
  return text;
}

/** Parses filter text into an unresolved AST (syntax only). */
export function parseFilterSyntax(text: unknown, limits?: FilterLimits): FilterNode {
  const full = fullLimits(limits);
  const input = checkInput(text, full, 'invalidFilter', 'filter');
  return new Parser(input, full, 'invalidFilter', 'filter').parseFilter();
}

/** Parses a PATCH path (`attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, URN-qualified), syntax only. */
export function parsePatchPathSyntax(text: unknown, limits?: FilterLimits): PatchPath {
  const full = fullLimits(limits);
  const input = checkInput(text, full, 'invalidPath', 'path');
  return new Parser(input, full, 'invalidPath', 'patch').parsePatchPath();
}

/** Parses a plain attribute path (`attr`, `attr.sub`, URN-qualified), syntax only. */
export function parseAttributePathSyntax(
  text: unknown,
  errorType: PathErrorType,
  limits?: FilterLimits,
): FilterPath {
  const full = fullLimits(limits);
  const input = checkInput(text, full, errorType, 'attribute path');
  return new Parser(input, full, errorType, 'attribute').parseAttributePath();
}
