import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';
import { parseDuration } from './parse-duration.ts';
import type { LogLevel, ServerConfig, StoreConfig } from './types.ts';

/** Each setting: its environment variable and its key in the JSON config file. */
const SETTINGS = {
  port: 'PORT',
  host: 'HOST',
  basePath: 'SCIM_BASE_PATH',
  publicUrl: 'SCIM_PUBLIC_URL',
  store: 'SCIM_STORE',
  sqlitePath: 'SCIM_SQLITE_PATH',
  mongodbUri: 'SCIM_MONGODB_URI',
  mongodbDb: 'SCIM_MONGODB_DB',
  redisUrl: 'REDIS_URL',
  eventStream: 'SCIM_EVENT_STREAM',
  bootstrapToken: 'SCIM_BOOTSTRAP_TOKEN',
  adminToken: 'SCIM_ADMIN_TOKEN',
  rateLimit: 'SCIM_RATE_LIMIT',
  rateLimitFail: 'SCIM_RATE_LIMIT_FAIL',
  userDelete: 'SCIM_USER_DELETE',
  jitLink: 'SCIM_JIT_LINK',
  passwords: 'SCIM_PASSWORDS',
  logLevel: 'LOG_LEVEL',
  defaultTenant: 'SCIM_DEFAULT_TENANT',
  shutdownTimeout: 'SCIM_SHUTDOWN_TIMEOUT',
} as const;

type SettingKey = keyof typeof SETTINGS;

/** The environment variables the reference server reads (besides `SCIM_CONFIG`). */
export const CONFIG_VARIABLES: readonly string[] = Object.values(SETTINGS);

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** Inputs of {@link loadConfig}; all default to the real process. */
export interface LoadConfigOptions {
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * Directory that relative paths from environment variables resolve against.
   * @default env.INIT_CWD (the directory `pnpm` was run from) or process.cwd()
   */
  baseDir?: string;
  /** @default fs.readFileSync(path, 'utf8') */
  readFile?: (path: string) => string;
}

/**
 * Reads and validates the configuration from environment variables and the optional JSON file named
 * by `SCIM_CONFIG` (environment variables win). Every bad value is reported at once in a
 * {@link ConfigError} whose messages name the variable and the allowed values.
 *
 * @example
 * const config = loadConfig({ env: { PORT: '9000', SCIM_STORE: 'sqlite' } });
 * config.port; // 9000
 */
export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? env.INIT_CWD ?? process.cwd();
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const problems: string[] = [];

  const file = readConfigFile(env.SCIM_CONFIG, baseDir, readFile, problems);

  /** A setting's raw text, where it came from (for messages), and the directory paths resolve from. */
  const raw = (key: SettingKey): { value: string; source: string; dir: string } | undefined => {
    const fromEnv = env[SETTINGS[key]];
    if (fromEnv !== undefined && fromEnv !== '')
      return { value: fromEnv, source: SETTINGS[key], dir: baseDir };
    if (file && file.values[key] !== undefined) {
      return { value: file.values[key], source: `"${key}" in ${file.path}`, dir: dirname(file.path) };
    }
    return undefined;
  };

  const oneOf = <T extends string>(key: SettingKey, allowed: readonly T[], fallback: T): T => {
    const setting = raw(key);
    if (!setting) return fallback;
    const value = setting.value.trim().toLowerCase() as T;
    if (allowed.includes(value)) return value;
    problems.push(`${setting.source}="${setting.value}" is not allowed; use one of: ${allowed.join(', ')}`);
    return fallback;
  };

  // ---- listening ----
  let port = 8080;
  const portSetting = raw('port');
  if (portSetting) {
    const n = Number(portSetting.value);
    if (/^\d+$/.test(portSetting.value.trim()) && n >= 0 && n <= 65535) port = n;
    else
      problems.push(
        `${portSetting.source}="${portSetting.value}" must be an integer from 0 to 65535 (0 picks a free port)`,
      );
  }
  const host = raw('host')?.value.trim() || '0.0.0.0';

  let basePath = '/scim/v2';
  const basePathSetting = raw('basePath');
  if (basePathSetting) {
    const value = basePathSetting.value.trim().replace(/\/+$/, '');
    if (/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) basePath = value;
    else {
      problems.push(
        `${basePathSetting.source}="${basePathSetting.value}" must be a URL path such as /scim/v2 (starts with /, letters, digits, . _ ~ - only, no query)`,
      );
    }
  }

  let publicUrl: string | undefined;
  const publicUrlSetting = raw('publicUrl');
  if (publicUrlSetting) {
    const value = publicUrlSetting.value.trim().replace(/\/+$/, '');
    if (isHttpUrl(value)) publicUrl = value;
    else {
      problems.push(
        `${publicUrlSetting.source}="${publicUrlSetting.value}" must be an absolute http:// or https:// URL such as https://scim.example.com`,
      );
    }
  }

  // ---- store ----
  const storeKind = oneOf('store', ['sqlite', 'mongodb'] as const, 'sqlite');
  let store: StoreConfig;
  if (storeKind === 'sqlite') {
    const pathSetting = raw('sqlitePath');
    const path = pathSetting?.value.trim() || './data/scim.sqlite';
    store = {
      kind: 'sqlite',
      path: path === ':memory:' || isAbsolute(path) ? path : resolve(pathSetting?.dir ?? baseDir, path),
    };
  } else {
    const uriSetting = raw('mongodbUri');
    let uri = '';
    if (!uriSetting) {
      problems.push(
        `SCIM_MONGODB_URI is required when SCIM_STORE=mongodb (for example mongodb://127.0.0.1:27017/?replicaSet=rs0)`,
      );
    } else if (!/^mongodb(\+srv)?:\/\/\S+$/.test(uriSetting.value.trim())) {
      problems.push(`${uriSetting.source} must start with mongodb:// or mongodb+srv://`);
    } else uri = uriSetting.value.trim();
    const dbSetting = raw('mongodbDb');
    const database = dbSetting?.value.trim() || databaseFromUri(uri) || 'scim';
    if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(database)) {
      problems.push(
        `${dbSetting?.source ?? 'SCIM_MONGODB_DB'}="${database}" is not a valid MongoDB database name (1-63 characters, none of / \\ . " $ * < > : | ? or space)`,
      );
    }
    store = { kind: 'mongodb', uri, database };
  }

  // ---- redis ----
  let redisUrl: string | undefined;
  const redisSetting = raw('redisUrl');
  if (redisSetting) {
    const value = redisSetting.value.trim();
    if (/^rediss?:\/\//.test(value) && canParseUrl(value)) redisUrl = value;
    else
      problems.push(
        `${redisSetting.source} must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379`,
      );
  }
  const eventStream = raw('eventStream')?.value.trim() || 'scim:events';

  // ---- secrets ----
  const secret = (key: 'bootstrapToken' | 'adminToken'): string | undefined => {
    const setting = raw(key);
    if (!setting) return undefined;
    if (setting.value.length < 16 || /\s/.test(setting.value)) {
      problems.push(
        `${setting.source} must be at least 16 characters with no whitespace (the value is not shown)`,
      );
      return undefined;
    }
    return setting.value;
  };
  const bootstrapToken = secret('bootstrapToken');
  const adminToken = secret('adminToken');

  // ---- policies ----
  let rateLimit: ServerConfig['rateLimit'] = { limit: 600, windowMs: 60_000 };
  const rateSetting = raw('rateLimit');
  if (rateSetting) {
    const parsed = parseRateLimit(rateSetting.value);
    if (parsed === undefined) {
      problems.push(
        `${rateSetting.source}="${rateSetting.value}" must be "off", a number of requests per minute (600) or requests per duration (100/10s, 600/1m, 5000/1h)`,
      );
    } else rateLimit = parsed;
  }
  const rateLimitFail = oneOf('rateLimitFail', ['open', 'closed'] as const, 'open');
  const userDelete = oneOf('userDelete', ['deprovision', 'hard'] as const, 'deprovision');
  const passwords = oneOf('passwords', ['discard', 'hash'] as const, 'discard');

  let jitLink = true;
  const jitSetting = raw('jitLink');
  if (jitSetting) {
    const value = jitSetting.value.trim().toLowerCase();
    if (TRUE.includes(value)) jitLink = true;
    else if (FALSE.includes(value)) jitLink = false;
    else
      problems.push(
        `${jitSetting.source}="${jitSetting.value}" must be true or false (also 1/0, yes/no, on/off)`,
      );
  }
  const logLevel = oneOf('logLevel', LOG_LEVELS, 'info');

  let defaultTenant = 'default';
  const tenantSetting = raw('defaultTenant');
  if (tenantSetting) {
    if (/^[a-z0-9][a-z0-9_-]{0,63}$/.test(tenantSetting.value)) defaultTenant = tenantSetting.value;
    else
      problems.push(
        `${tenantSetting.source}="${tenantSetting.value}" must be 1-64 lower-case letters, digits, _ or -`,
      );
  }

  let shutdownTimeoutMs = 10_000;
  const shutdownSetting = raw('shutdownTimeout');
  if (shutdownSetting) {
    const ms = parseDuration(shutdownSetting.value);
    if (ms === undefined)
      problems.push(
        `${shutdownSetting.source}="${shutdownSetting.value}" must be a duration such as 10s or 500ms`,
      );
    else shutdownTimeoutMs = ms;
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    basePath,
    ...(publicUrl ? { publicUrl } : {}),
    store,
    ...(redisUrl ? { redisUrl } : {}),
    eventStream,
    ...(bootstrapToken ? { bootstrapToken } : {}),
    ...(adminToken ? { adminToken } : {}),
    rateLimit,
    rateLimitFail,
    userDelete,
    jitLink,
    passwords,
    logLevel,
    defaultTenant,
    shutdownTimeoutMs,
  };
}

/** `off` | `<n>` (per minute) | `<n>/<duration>`. */
export function parseRateLimit(text: string): ServerConfig['rateLimit'] | undefined {
  const value = text.trim().toLowerCase();
  if (['off', 'false', 'no', 'none'].includes(value)) return false;
  const match = /^(\d+)(?:\s*\/\s*(.+))?$/.exec(value);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const windowMs =
    match[2] === undefined ? 60_000 : parseDuration(/^\d/.test(match[2]) ? match[2] : `1${match[2]}`);
  if (!Number.isSafeInteger(limit) || limit < 1 || windowMs === undefined) return undefined;
  return { limit, windowMs };
}

function readConfigFile(
  path: string | undefined,
  baseDir: string,
  readFile: (path: string) => string,
  problems: string[],
): { path: string; values: Partial<Record<SettingKey, string>> } | undefined {
  if (!path) return undefined;
  const absolute = resolve(baseDir, path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(absolute));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `is not valid JSON (${error.message})` : 'cannot be read';
    problems.push(`SCIM_CONFIG=${path}: the file ${absolute} ${reason}`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`SCIM_CONFIG=${path}: the file must contain one JSON object`);
    return undefined;
  }
  const values: Partial<Record<SettingKey, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in SETTINGS)) {
      problems.push(
        `"${key}" in ${absolute} is not a setting; known keys: ${Object.keys(SETTINGS).join(', ')}`,
      );
    } else if (value === null || typeof value === 'object') {
      problems.push(`"${key}" in ${absolute} must be a string, number or boolean`);
    } else values[key as SettingKey] = String(value);
  }
  return { path: absolute, values };
}

function isHttpUrl(value: string): boolean {
  if (!canParseUrl(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash;
}

function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function databaseFromUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
