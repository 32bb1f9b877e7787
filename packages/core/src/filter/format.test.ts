import { describe, expect, it } from 'vitest';
import { SCHEMA_URNS } from '../schema/types.js';
import type { FilterNode } from './ast.js';
import { formatFilter, formatPatchPath, formatPath, formatValue } from './format.js';
import { parseFilter } from './parse-filter.js';
import { parsePatchPath } from './parse-path.js';

const pr = (attribute: string): FilterNode => ({ op: 'pr', path: { attribute } });

describe('formatFilter', () => {
  it('prints the fewest parentheses that keep the tree', () => {
    expect(
      formatFilter({ op: 'and', left: pr('a'), right: { op: 'or', left: pr('b'), right: pr('c') } }),
    ).toBe('a pr and (b pr or c pr)');
    expect(
      formatFilter({ op: 'and', left: { op: 'or', left: pr('a'), right: pr('b') }, right: pr('c') }),
    ).toBe('(a pr or b pr) and c pr');
    expect(
      formatFilter({ op: 'or', left: { op: 'and', left: pr('a'), right: pr('b') }, right: pr('c') }),
    ).toBe('a pr and b pr or c pr');
    expect(
      formatFilter({ op: 'and', left: pr('a'), right: { op: 'and', left: pr('b'), right: pr('c') } }),
    ).toBe('a pr and (b pr and c pr)');
    expect(formatFilter({ op: 'not', filter: pr('a') })).toBe('not (a pr)');
  });

  it('prints canonical text for the RFC examples', () => {
    expect(
      formatFilter(
        parseFilter(
          'userType NE "Employee" AND NOT (emails CO "example.com" OR emails.value CO "example.org")',
        ),
      ),
    ).toBe('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")');
    expect(formatFilter(parseFilter(`${SCHEMA_URNS.user}:emails[type eq "work"]`))).toBe(
      `${SCHEMA_URNS.user}:emails[type eq "work"]`,
    );
  });

  it('drops the core URN of resolved paths and keeps extension URNs', () => {
    expect(formatFilter(parseFilter(`${SCHEMA_URNS.user}:userName eq "x"`, { resourceType: 'User' }))).toBe(
      'userName eq "x"',
    );
    expect(formatFilter(parseFilter('employeeNumber eq "1"', { resourceType: 'User' }))).toBe(
      `${SCHEMA_URNS.enterpriseUser}:employeeNumber eq "1"`,
    );
  });

  it('prints values as JSON, escaping what must be escaped', () => {
    expect(formatValue('a "q" \\ \n \u0001')).toBe('"a \\"q\\" \\\\ \\n \\u0001"');
    expect(formatValue(-0)).toBe('-0');
    expect(formatValue(1e21)).toBe('1e+21');
    expect(formatValue(null)).toBe('null');
    expect(() => formatValue(Number.NaN)).toThrow(TypeError);
    expect(formatPath({ schema: 'urn:a:b', attribute: 'x', subAttribute: 'y' })).toBe('urn:a:b:x.y');
  });

  it('prints PATCH paths', () => {
    for (const text of [
      'members',
      'name.familyName',
      'emails[type eq "work"].value',
      `${SCHEMA_URNS.enterpriseUser}:manager.value`,
    ]) {
      expect(formatPatchPath(parsePatchPath(text))).toBe(text);
    }
  });
});
