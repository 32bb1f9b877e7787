import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.ts';
import { loadConfig, parseRateLimit } from './load-config.ts';
import { parseDuration } from './parse-duration.ts';

const base = { baseDir: '/srv/app', readFile: () => '{}' };

/** The problems a configuration produces (fails the test if it is accepted). */
function problemsOf(env: Record<string, string>, readFile?: (path: string) => string): string[] {
  try {
    loadConfig({ ...base, env, ...(readFile ? { readFile } : {}) });
  } catch (error) {
    if (isConfigError(error)) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('defaults to SQLite under ./data of the directory pnpm ran in, port 8080, /scim/v2', () => {
    const config = loadConfig({ env: { INIT_CWD: '/home/me/repo' }, readFile: base.readFile });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      basePath: '/scim/v2',
      store: { kind: 'sqlite', path: '/home/me/repo/data/scim.sqlite' },
      rateLimit: { limit: 600, windowMs: 60_000 },
      rateLimitFail: 'open',
      userDelete: 'deprovision',
      jitLink: true,
      passwords: 'discard',
      logLevel: 'info',
      defaultTenant: 'default',
    });
    expect(config.redisUrl).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...base,
      env: {
        PORT: '9000',
        SCIM_BASE_PATH: '/api/scim/',
        SCIM_PUBLIC_URL: 'https://scim.example.com/',
        SCIM_STORE: 'MongoDB',
        SCIM_MONGODB_URI: 'mongodb://127.0.0.1:27017/tenants?replicaSet=rs0',
        REDIS_URL: 'redis://127.0.0.1:6379',
        SCIM_BOOTSTRAP_TOKEN: 'a-bootstrap-token-0123',
        SCIM_ADMIN_TOKEN: 'an-admin-token-0123456',
        SCIM_RATE_LIMIT: '100/10s',
        SCIM_RATE_LIMIT_FAIL: 'closed',
        SCIM_USER_DELETE: 'hard',
        SCIM_JIT_LINK: 'no',
        SCIM_PASSWORDS: 'Hash',
        LOG_LEVEL: 'warn',
      },
    });
    expect(config).toMatchObject({
      port: 9000,
      basePath: '/api/scim',
      publicUrl: 'https://scim.example.com',
      store: {
        kind: 'mongodb',
        uri: 'mongodb://127.0.0.1:27017/tenants?replicaSet=rs0',
        database: 'tenants',
      },
      redisUrl: 'redis://127.0.0.1:6379',
      bootstrapToken: 'a-bootstrap-token-0123',
      adminToken: 'an-admin-token-0123456',
      rateLimit: { limit: 100, windowMs: 10_000 },
      rateLimitFail: 'closed',
      userDelete: 'hard',
      jitLink: false,
      passwords: 'hash',
      logLevel: 'warn',
    });
  });

  it('reports every bad value at once, naming the variable and the allowed values', () => {
    const problems = problemsOf({
      PORT: '80a',
      SCIM_BASE_PATH: 'scim',
      SCIM_STORE: 'postgres',
      REDIS_URL: 'localhost:6379',
      SCIM_RATE_LIMIT: 'lots',
      SCIM_RATE_LIMIT_FAIL: 'maybe',
      SCIM_USER_DELETE: 'soft',
      SCIM_JIT_LINK: 'perhaps',
      SCIM_PASSWORDS: 'plain',
      LOG_LEVEL: 'loud',
      SCIM_BOOTSTRAP_TOKEN: 'short',
    });
    expect(problems).toHaveLength(11);
    expect(problems.join('\n')).toMatch(/PORT="80a" must be an integer from 0 to 65535/);
    expect(problems.join('\n')).toMatch(/SCIM_BASE_PATH="scim" must be a URL path/);
    expect(problems.join('\n')).toMatch(/SCIM_STORE="postgres" is not allowed; use one of: sqlite, mongodb/);
    expect(problems.join('\n')).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(problems.join('\n')).toMatch(/SCIM_RATE_LIMIT="lots" must be "off"/);
    expect(problems.join('\n')).toMatch(
      /SCIM_RATE_LIMIT_FAIL="maybe" is not allowed; use one of: open, closed/,
    );
    expect(problems.join('\n')).toMatch(
      /SCIM_USER_DELETE="soft" is not allowed; use one of: deprovision, hard/,
    );
    expect(problems.join('\n')).toMatch(/SCIM_JIT_LINK="perhaps" must be true or false/);
    expect(problems.join('\n')).toMatch(/SCIM_PASSWORDS="plain" is not allowed; use one of: discard, hash/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL="loud" is not allowed; use one of: fatal, error/);
    expect(problems.join('\n')).toMatch(/SCIM_BOOTSTRAP_TOKEN must be at least 16 characters/);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('requires a URI for MongoDB', () => {
    expect(problemsOf({ SCIM_STORE: 'mongodb' })).toEqual([
      expect.stringMatching(/SCIM_MONGODB_URI is required when SCIM_STORE=mongodb/),
    ]);
    expect(problemsOf({ SCIM_STORE: 'mongodb', SCIM_MONGODB_URI: 'http://db' })).toEqual([
      expect.stringMatching(/SCIM_MONGODB_URI must start with mongodb:\/\//),
    ]);
    expect(
      problemsOf({ SCIM_STORE: 'mongodb', SCIM_MONGODB_URI: 'mongodb://h', SCIM_MONGODB_DB: 'a.b' }),
    ).toEqual([expect.stringMatching(/SCIM_MONGODB_DB="a.b" is not a valid MongoDB database name/)]);
  });

  it('reads a JSON config file, lets variables override it and resolves its paths from its directory', () => {
    const files: Record<string, string> = {
      '/etc/scim/config.json': JSON.stringify({
        port: 7000,
        sqlitePath: 'db.sqlite',
        rateLimit: 'off',
        logLevel: 'debug',
      }),
    };
    const config = loadConfig({
      baseDir: '/srv/app',
      env: { SCIM_CONFIG: '/etc/scim/config.json', LOG_LEVEL: 'error' },
      readFile: (path) => files[path] ?? '',
    });
    expect(config).toMatchObject({
      port: 7000,
      store: { kind: 'sqlite', path: '/etc/scim/db.sqlite' },
      rateLimit: false,
      logLevel: 'error',
    });
  });

  it('names the file and key for bad file content', () => {
    expect(problemsOf({ SCIM_CONFIG: 'c.json' }, () => '{"port": "x", "colour": "blue"}')).toEqual([
      expect.stringMatching(/"colour" in \/srv\/app\/c.json is not a setting; known keys: port/),
      expect.stringMatching(/"port" in \/srv\/app\/c.json="x" must be an integer/),
    ]);
    expect(problemsOf({ SCIM_CONFIG: 'c.json' }, () => '{ nope')).toEqual([
      expect.stringMatching(/SCIM_CONFIG=c.json: the file \/srv\/app\/c.json is not valid JSON/),
    ]);
    expect(
      problemsOf({ SCIM_CONFIG: 'c.json' }, () => {
        throw new Error('ENOENT');
      }),
    ).toEqual([expect.stringMatching(/cannot be read/)]);
  });
});

describe('parseRateLimit and parseDuration', () => {
  it('accepts the documented forms', () => {
    expect(parseRateLimit('600')).toEqual({ limit: 600, windowMs: 60_000 });
    expect(parseRateLimit('100/10s')).toEqual({ limit: 100, windowMs: 10_000 });
    expect(parseRateLimit('5000/h')).toEqual({ limit: 5000, windowMs: 3_600_000 });
    expect(parseRateLimit('off')).toBe(false);
    expect(parseRateLimit('0')).toBeUndefined();
    expect(parseRateLimit('10/fortnight')).toBeUndefined();
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('-1s')).toBeUndefined();
  });
});
