import { type PathErrorType, pathError, quote } from './errors.js';

/** What a token is. Words are attribute paths, operators, keywords and the literals true/false/null. */
export type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | 'end';

/** One token of a filter or path, with its 0-based offsets in the input. */
export interface Token {
  kind: TokenKind;
  /** The raw text (for strings: with quotes and escapes as written). */
  text: string;
  start: number;
  /** The decoded value of a string or number token. */
  value?: string | number;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const COLON = 0x3a;
const UNDERSCORE = 0x5f;
const DOLLAR = 0x24;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Characters of an attribute path word: ATTRNAME characters, the `.` and `:` of sub-attributes and
 * URNs, and the `$` of RFC 7643's `$ref` sub-attributes.
 */
export function isWordChar(c: number): boolean {
  return (
    isAlpha(c) || isDigit(c) || c === MINUS || c === UNDERSCORE || c === DOT || c === COLON || c === DOLLAR
  );
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * A hand-written, single-pass lexer: every character is looked at a bounded number of times, so the
 * cost is linear in the input whatever it contains. Whitespace (space, tab, CR, LF) separates tokens.
 */
export class Lexer {
  pos = 0;
  readonly text: string;
  readonly errorType: PathErrorType;

  constructor(text: string, errorType: PathErrorType) {
    this.text = text;
    this.errorType = errorType;
  }

  /** The next non-blank character code without consuming anything, or -1 at the end. */
  peekChar(): number {
    let i = this.pos;
    const text = this.text;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    return i < text.length ? text.charCodeAt(i) : -1;
  }

  /** The character right at the current position (no whitespace skipped), or -1 at the end. */
  rawChar(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  next(): Token {
    const text = this.text;
    let i = this.pos;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) {
      this.pos = i;
      return { kind: 'end', text: '', start: i };
    }
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x28:
        this.pos = i + 1;
        return { kind: '(', text: '(', start: i };
      case 0x29:
        this.pos = i + 1;
        return { kind: ')', text: ')', start: i };
      case 0x5b:
        this.pos = i + 1;
        return { kind: '[', text: '[', start: i };
      case 0x5d:
        this.pos = i + 1;
        return { kind: ']', text: ']', start: i };
      case QUOTE:
        return this.string(i);
      default:
    }
    if (c === MINUS || isDigit(c)) return this.number(i);
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
      this.pos = j;
      return { kind: 'word', text: text.slice(i, j), start: i };
    }
    const cp = text.codePointAt(i) ?? c;
    throw pathError(
      this.errorType,
      `Unexpected character ${quote(String.fromCodePoint(cp))} at position ${i + 1}; a filter is made of attribute paths, operators, parentheses, brackets and JSON values`,
    );
  }

  /** A JSON string (RFC 8259 section 7): no raw control characters, escapes \" \\ \/ \b \f \n \r \t \uXXXX. */
  private string(start: number): Token {
    const text = this.text;
    let i = start + 1;
    let out = '';
    let chunk = i;
    while (true) {
      if (i >= text.length) {
        throw pathError(
          this.errorType,
          `Unterminated string starting at position ${start + 1}: add the closing double quote`,
        );
      }
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c < 0x20) {
        throw pathError(
          this.errorType,
          `Control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in a string at position ${i + 1}; escape it (for example \\n or \\u000a)`,
        );
      }
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      out += text.slice(chunk, i);
      const e = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
      switch (e) {
        case QUOTE:
          out += '"';
          break;
        case BACKSLASH:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          let code = 0;
          for (let k = 2; k < 6; k++) {
            const h = i + k < text.length ? hexValue(text.charCodeAt(i + k)) : -1;
            if (h < 0) {
              throw pathError(
                this.errorType,
                `Invalid \\u escape at position ${i + 1}: it needs exactly four hexadecimal digits`,
              );
            }
            code = code * 16 + h;
          }
          out += String.fromCharCode(code);
          i += 6;
          chunk = i;
          continue;
        }
        default:
          throw pathError(
            this.errorType,
            `Invalid escape ${e < 0 ? 'at the end of the input' : `\\${String.fromCharCode(e)}`} in a string at position ${i + 1}; valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
          );
      }
      i += 2;
      chunk = i;
    }
    out += text.slice(chunk, i);
    this.pos = i + 1;
    return { kind: 'string', text: text.slice(start, i + 1), start, value: out };
  }

  /** A JSON number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private number(start: number): Token {
    const text = this.text;
    const len = text.length;
    let i = start;
    const bad = (detail: string): never => {
      throw pathError(this.errorType, `Invalid number at position ${start + 1}: ${detail}`);
    };
    if (text.charCodeAt(i) === MINUS) i++;
    if (i >= len || !isDigit(text.charCodeAt(i))) bad('a digit must follow "-"');
    if (text.charCodeAt(i) === 0x30) {
      i++;
      if (i < len && isDigit(text.charCodeAt(i))) bad('leading zeros are not allowed');
    } else {
      while (i < len && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < len && text.charCodeAt(i) === DOT) {
      i++;
      if (i >= len || !isDigit(text.charCodeAt(i))) bad('a digit must follow the decimal point');
      while (i < len && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < len && (text.charCodeAt(i) | 0x20) === 0x65) {
      i++;
      if (i < len && (text.charCodeAt(i) === PLUS || text.charCodeAt(i) === MINUS)) i++;
      if (i >= len || !isDigit(text.charCodeAt(i))) bad('a digit must follow the exponent');
      while (i < len && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < len && (isWordChar(text.charCodeAt(i)) || text.charCodeAt(i) === QUOTE)) {
      bad(
        `unexpected ${quote(text.charAt(i))} after ${quote(text.slice(start, i))}; attribute names start with a letter`,
      );
    }
    const raw = text.slice(start, i);
    const value = Number(raw);
    if (!Number.isFinite(value)) bad(`${quote(raw)} is out of range`);
    this.pos = i;
    return { kind: 'number', text: raw, start, value };
  }
}
