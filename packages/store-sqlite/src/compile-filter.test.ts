import { defaultSchemaRegistry, parseFilter } from '@scim/core';
import { describe, expect, it } from 'vitest';
import { compileFilter, escapeLike } from './compile-filter.js';
import { SqlParams } from './sql-params.js';

const compile = (filter: string, resourceType = 'User') => {
  const params = new SqlParams();
  const sql = compileFilter(parseFilter(filter, { resourceType }), {
    tenantId: 't1',
    resourceType,
    registry: defaultSchemaRegistry,
    indexedValuePaths: new Set(['emails.value']),
    params,
  });
  return { sql, values: Object.values(params.values) };
};

describe('compileFilter', () => {
  it('escapes the LIKE metacharacters and the escape character', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
    const { sql, values } = compile('userName co "50%_\\\\"');
    expect(sql).toContain("ESCAPE '\\'");
    expect(values).toContain('%50\\%\\_\\\\%');
  });

  it('never puts a client value or an attribute name into the SQL text', () => {
    const hostile = `x' OR 1=1 --"`;
    const { sql, values } = compile(
      `userName eq ${JSON.stringify(hostile)} or name.givenName co ${JSON.stringify(hostile)} or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw "a"`,
    );
    expect(sql).not.toContain('OR 1=1');
    expect(sql).not.toContain('givenName');
    expect(sql).not.toContain('department');
    expect(values).toContain(hostile.toLowerCase());
    expect(values).toContain('$."name"."givenName"');
    expect(values).toContain('$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"."department"');
  });

  it('folds case-insensitive values in JavaScript (Unicode-aware) before binding them', () => {
    const { values } = compile('displayName eq "ÄRGER"');
    expect(values).toContain('ärger');
  });

  it('binds dateTimes as epoch milliseconds of the instant, whatever the time zone', () => {
    const { values } = compile('meta.lastModified gt "2024-01-01T01:00:00+01:00"');
    expect(values).toContain(Date.UTC(2024, 0, 1));
  });
});
