import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { ParseArgsConfig } from 'node:util';
import type { RoleMapping, Store } from '@scim/core';
import { AdminError } from '../admin/admin-error.ts';
import { type AdminService, type ExportRecord, migrateTenant } from '../admin/service.ts';
import type { ServerConfig, StoreConfig } from '../config/index.ts';
import { parseDuration } from '../config/index.ts';
import type { OpenedStore } from '../server/open-store.ts';
import { formatTable } from './format-table.ts';
import { createProgressBar } from './progress-bar.ts';

/** Streams and signals a command talks to. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
}

/** What a command runs with. */
export interface CommandContext {
  admin: AdminService;
  store: Store;
  config: ServerConfig;
  tenant: string;
  json: boolean;
  io: CliIO;
  /** Aborted on SIGINT/SIGTERM (ends `audit --follow`). */
  signal: AbortSignal;
  openStore: (config: StoreConfig) => Promise<OpenedStore>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

/** One CLI command: `scim-admin <name...> [positionals] [--options]`. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  run(ctx: CommandContext, positionals: string[], values: Values): Promise<void>;
}

const print = (ctx: CommandContext, text: string): void => {
  ctx.io.stdout.write(`${text}\n`);
};
const printJson = (ctx: CommandContext, value: unknown): void => print(ctx, JSON.stringify(value, null, 2));

function required(positionals: string[], index: number, what: string, usage: string): string {
  const value = positionals[index];
  if (!value) throw new UsageError(`missing ${what}\nusage: scim-admin ${usage}`);
  return value;
}

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function str(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function int(values: Values, name: string): number | undefined {
  const value = str(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  return Number(value);
}

function matchOf(values: Values): RoleMapping['match'] {
  const match = str(values, 'match') ?? 'displayName';
  if (match !== 'displayName' && match !== 'externalId' && match !== 'id') {
    throw new UsageError(`--match must be displayName, externalId or id, got '${match}'`);
  }
  return match;
}

/** Resolves `--expires 30d`-style durations (d for days too) or ISO times to an ISO time. */
function expiresAt(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const days = /^(\d+)d$/.exec(text);
  const ms = days ? Number(days[1]) * 86_400_000 : parseDuration(text);
  if (ms !== undefined && !/^\d{4}-/.test(text)) return new Date(Date.now() + ms).toISOString();
  if (Number.isNaN(Date.parse(text))) {
    throw new UsageError(`--expires must be a duration (90d, 12h) or an ISO 8601 time, got '${text}'`);
  }
  return new Date(text).toISOString();
}

function graceSeconds(text: string | undefined): number {
  if (text === undefined) return 3600;
  const days = /^(\d+)d$/.exec(text);
  const ms = days ? Number(days[1]) * 86_400_000 : text === '0' ? 0 : parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`--grace must be a duration such as 0, 15m, 1h or 7d, got '${text}'`);
  return Math.round(ms / 1000);
}

/** Parses a migration target: `sqlite:<path>`, a path ending in .sqlite/.db, or a mongodb:// URI. */
export function parseStoreTarget(target: string, database: string | undefined, baseDir: string): StoreConfig {
  if (/^mongodb(\+srv)?:\/\//.test(target)) {
    const fromUri = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(target)?.[1];
    return {
      kind: 'mongodb',
      uri: target,
      database: database ?? (fromUri ? decodeURIComponent(fromUri) : 'scim'),
    };
  }
  const path = target.startsWith('sqlite:') ? target.slice('sqlite:'.length) : target;
  if (!path) throw new UsageError('--to needs a target: sqlite:<path> or mongodb://host/db');
  return { kind: 'sqlite', path: path.startsWith('/') ? path : `${baseDir}/${path}` };
}

async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<ExportRecord> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new AdminError('invalid', `line ${number} of the import is not valid JSON`);
    }
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof (record as { kind?: unknown }).kind !== 'string'
    ) {
      throw new AdminError('invalid', `line ${number} of the import is not an export record (no "kind")`);
    }
    yield record as ExportRecord;
  }
}

/** Every command of `scim-admin`. */
export const COMMANDS: Command[] = [
  // ---- tenants
  {
    name: 'tenants list',
    summary: 'List tenants with their counts and last-sync time',
    usage: 'tenants list',
    options: {},
    async run(ctx) {
      const tenants = await ctx.admin.listTenants();
      if (ctx.json) return printJson(ctx, tenants);
      print(
        ctx,
        formatTable(
          tenants.map((t) => ({ ...t, ...t.counts })),
          ['id', 'name', 'users', 'groups', 'activeTokens', 'lastSyncAt'],
        ),
      );
    },
  },
  {
    name: 'tenants create',
    summary: 'Create a tenant',
    usage: 'tenants create <id> [--name <display name>]',
    options: { name: { type: 'string' } },
    async run(ctx, positionals, values) {
      const id = required(positionals, 0, 'the tenant id', this.usage);
      const name = str(values, 'name');
      const tenant = await ctx.admin.createTenant({ id, ...(name ? { name } : {}) });
      if (ctx.json) return printJson(ctx, tenant);
      print(
        ctx,
        `Created tenant ${tenant.id}. Issue its first token with: scim-admin tokens issue --tenant ${tenant.id} --name <idp>`,
      );
    },
  },
  {
    name: 'tenants show',
    summary: 'Show a tenant: base URL, last-sync time, counts',
    usage: 'tenants show [<id>]',
    options: {},
    async run(ctx, positionals) {
      const tenant = await ctx.admin.getTenant(positionals[0] ?? ctx.tenant);
      if (ctx.json) return printJson(ctx, tenant);
      print(
        ctx,
        [
          `Tenant:          ${tenant.id} (${tenant.name})`,
          `SCIM base URL:   ${tenant.baseUrl}`,
          `Created:         ${tenant.createdAt}`,
          `Last sync:       ${tenant.lastSyncAt ?? 'never'}`,
          `Users:           ${tenant.counts.users} (+${tenant.counts.deprovisionedUsers} deprovisioned)`,
          `Groups:          ${tenant.counts.groups}`,
          `Active tokens:   ${tenant.counts.activeTokens}`,
        ].join('\n'),
      );
    },
  },
  // ---- tokens
  {
    name: 'tokens issue',
    summary: 'Issue a SCIM bearer token (the secret is printed once)',
    usage: 'tokens issue --name <name> [--expires 90d|<ISO time>]',
    options: { name: { type: 'string' }, expires: { type: 'string' } },
    async run(ctx, _positionals, values) {
      const name = str(values, 'name');
      if (!name)
        throw new UsageError(`--name is required (e.g. --name okta)\nusage: scim-admin ${this.usage}`);
      const expires = expiresAt(str(values, 'expires'));
      const { token, secret } = await ctx.admin.issueToken(ctx.tenant, {
        name,
        ...(expires ? { expiresAt: expires } : {}),
      });
      if (ctx.json) return printJson(ctx, { token, secret });
      print(ctx, `Token ${token.id} (${token.name}) issued for tenant ${ctx.tenant}.`);
      print(ctx, 'Copy it now: it is stored only as a hash and cannot be shown again.');
      print(ctx, `\n  ${secret}\n`);
    },
  },
  {
    name: 'tokens list',
    summary: 'List tokens (name, created, last used; never the secret)',
    usage: 'tokens list',
    options: {},
    async run(ctx) {
      const tokens = await ctx.admin.listTokens(ctx.tenant);
      if (ctx.json) return printJson(ctx, tokens);
      print(
        ctx,
        formatTable(tokens as unknown as Record<string, unknown>[], [
          'id',
          'name',
          'state',
          'createdAt',
          'lastUsedAt',
          'expiresAt',
        ]),
      );
    },
  },
  {
    name: 'tokens rotate',
    summary: 'Issue a replacement; the old token keeps working for the grace period',
    usage: 'tokens rotate <token id> [--grace 1h]',
    options: { grace: { type: 'string' } },
    async run(ctx, positionals, values) {
      const id = required(positionals, 0, 'the token id (see tokens list)', this.usage);
      const result = await ctx.admin.rotateToken(ctx.tenant, id, {
        graceSeconds: graceSeconds(str(values, 'grace')),
      });
      if (ctx.json) return printJson(ctx, result);
      print(
        ctx,
        `Token ${result.token.id} replaces ${id}, which stops working at ${result.previous.expiresAt ?? 'once'}.`,
      );
      print(ctx, 'Copy the new secret now: it cannot be shown again.');
      print(ctx, `\n  ${result.secret}\n`);
    },
  },
  {
    name: 'tokens revoke',
    summary: 'Revoke a token immediately',
    usage: 'tokens revoke <token id>',
    options: {},
    async run(ctx, positionals) {
      const id = required(positionals, 0, 'the token id (see tokens list)', this.usage);
      const token = await ctx.admin.revokeToken(ctx.tenant, id);
      if (ctx.json) return printJson(ctx, token);
      print(ctx, `Token ${token.id} (${token.name}) revoked.`);
    },
  },
  // ---- roles
  {
    name: 'roles show',
    summary: 'Show the ordered roles, default role and group mappings',
    usage: 'roles show',
    options: {},
    async run(ctx) {
      const settings = await ctx.admin.getRoleSettings(ctx.tenant);
      if (ctx.json) return printJson(ctx, settings);
      print(ctx, `Roles (highest first): ${settings.roles.join(' > ') || '(none)'}`);
      print(ctx, `Default role:          ${settings.defaultRole ?? '(none)'}`);
      print(
        ctx,
        `Unmapped users:        ${settings.deactivateUnmapped ? 'deactivated' : 'get the default role'}`,
      );
      if (settings.roleAttribute) print(ctx, `IdP role attribute:    ${settings.roleAttribute}`);
      print(ctx, '');
      print(
        ctx,
        settings.mappings.length
          ? formatTable(settings.mappings as unknown as Record<string, unknown>[], ['match', 'value', 'role'])
          : 'No group mappings.',
      );
    },
  },
  {
    name: 'roles set',
    summary: 'Set the ordered roles and the default role',
    usage:
      'roles set --roles admin,member,viewer --default member|none [--deactivate-unmapped | --keep-unmapped] [--role-attribute <path>|none]',
    options: {
      roles: { type: 'string' },
      default: { type: 'string' },
      'deactivate-unmapped': { type: 'boolean' },
      'keep-unmapped': { type: 'boolean' },
      'role-attribute': { type: 'string' },
    },
    async run(ctx, _positionals, values) {
      const roles = str(values, 'roles');
      const defaultRole = str(values, 'default');
      if (!roles || !defaultRole) {
        throw new UsageError(`--roles and --default are required\nusage: scim-admin ${this.usage}`);
      }
      const roleAttribute = str(values, 'role-attribute');
      const result = await ctx.admin.setRoles(ctx.tenant, {
        roles: roles.split(','),
        defaultRole: defaultRole === 'none' ? null : defaultRole,
        ...(values['deactivate-unmapped'] ? { deactivateUnmapped: true } : {}),
        ...(values['keep-unmapped'] ? { deactivateUnmapped: false } : {}),
        ...(roleAttribute !== undefined
          ? { roleAttribute: roleAttribute === 'none' ? null : roleAttribute }
          : {}),
      });
      if (ctx.json) return printJson(ctx, result);
      print(ctx, `Roles saved; ${result.usersChanged} user(s) changed role or status.`);
    },
  },
  {
    name: 'roles map',
    summary: 'Map an IdP group to a role',
    usage: 'roles map <group> <role> [--match displayName|externalId|id]',
    options: { match: { type: 'string' } },
    async run(ctx, positionals, values) {
      const group = required(positionals, 0, 'the group', this.usage);
      const role = required(positionals, 1, 'the role', this.usage);
      const result = await ctx.admin.mapGroup(ctx.tenant, { value: group, role, match: matchOf(values) });
      if (ctx.json) return printJson(ctx, result);
      print(ctx, `Mapped ${group} -> ${role}; ${result.usersChanged} user(s) changed role or status.`);
    },
  },
  {
    name: 'roles unmap',
    summary: 'Remove the mapping of an IdP group',
    usage: 'roles unmap <group> [--match displayName|externalId|id]',
    options: { match: { type: 'string' } },
    async run(ctx, positionals, values) {
      const group = required(positionals, 0, 'the group', this.usage);
      const result = await ctx.admin.unmapGroup(ctx.tenant, { value: group, match: matchOf(values) });
      if (ctx.json) return printJson(ctx, result);
      print(ctx, `Unmapped ${group}; ${result.usersChanged} user(s) changed role or status.`);
    },
  },
  {
    name: 'roles explain',
    summary: "Show a user's effective role and why",
    usage: 'roles explain <user id or userName>',
    options: {},
    async run(ctx, positionals) {
      const ref = required(positionals, 0, 'the user', this.usage);
      const detail = await ctx.admin.explainUser(ctx.tenant, ref);
      if (ctx.json)
        return printJson(ctx, { user: detail.row, groups: detail.groups, resolution: detail.resolution });
      print(ctx, `${detail.row.userName} (${detail.row.id})`);
      print(ctx, `Role:    ${detail.resolution.role ?? '(none)'}`);
      print(ctx, `Status:  ${detail.row.deprovisionedAt ? 'deprovisioned' : detail.resolution.status}`);
      print(ctx, `Because: ${detail.resolution.reason}`);
      print(ctx, `Groups:  ${detail.groups.map((g) => g.displayName).join(', ') || '(none)'}`);
    },
  },
  // ---- users and groups
  {
    name: 'users list',
    summary: 'List users with status, effective role and the reason',
    usage:
      'users list [--filter <SCIM filter>] [--status active|inactive] [--role <role>] [--deprovisioned] [--count 50] [--cursor <c>]',
    options: {
      filter: { type: 'string' },
      status: { type: 'string' },
      role: { type: 'string' },
      deprovisioned: { type: 'boolean' },
      count: { type: 'string' },
      cursor: { type: 'string' },
    },
    async run(ctx, _positionals, values) {
      const status = str(values, 'status');
      if (status !== undefined && status !== 'active' && status !== 'inactive') {
        throw new UsageError(`--status must be active or inactive, got '${status}'`);
      }
      const count = int(values, 'count');
      const filter = str(values, 'filter');
      const role = str(values, 'role');
      const cursor = str(values, 'cursor');
      const page = await ctx.admin.listUsers(ctx.tenant, {
        ...(filter ? { filter } : {}),
        ...(status ? { status } : {}),
        ...(role ? { role } : {}),
        ...(values.deprovisioned ? { includeDeprovisioned: true } : {}),
        ...(count !== undefined ? { count } : {}),
        ...(cursor ? { cursor } : {}),
      });
      if (ctx.json) return printJson(ctx, page);
      print(
        ctx,
        formatTable(page.items as unknown as Record<string, unknown>[], [
          'id',
          'userName',
          'status',
          'role',
          'reason',
        ]),
      );
      if (page.nextCursor) print(ctx, `\nMore: --cursor ${page.nextCursor}`);
    },
  },
  {
    name: 'users show',
    summary: 'Show one user with its groups and access',
    usage: 'users show <user id or userName>',
    options: {},
    async run(ctx, positionals) {
      const detail = await ctx.admin.getUser(ctx.tenant, required(positionals, 0, 'the user', this.usage));
      if (ctx.json) return printJson(ctx, detail);
      print(
        ctx,
        formatTable(
          [detail.row as unknown as Record<string, unknown>],
          ['id', 'userName', 'status', 'role', 'reason'],
        ),
      );
      print(ctx, `Groups: ${detail.groups.map((g) => g.displayName).join(', ') || '(none)'}`);
      print(ctx, JSON.stringify(detail.resource.data, null, 2));
    },
  },
  {
    name: 'groups list',
    summary: 'List groups with member counts',
    usage: 'groups list [--filter <SCIM filter>] [--count 50] [--cursor <c>]',
    options: { filter: { type: 'string' }, count: { type: 'string' }, cursor: { type: 'string' } },
    async run(ctx, _positionals, values) {
      const count = int(values, 'count');
      const filter = str(values, 'filter');
      const cursor = str(values, 'cursor');
      const page = await ctx.admin.listGroups(ctx.tenant, {
        ...(filter ? { filter } : {}),
        ...(count !== undefined ? { count } : {}),
        ...(cursor ? { cursor } : {}),
      });
      if (ctx.json) return printJson(ctx, page);
      print(
        ctx,
        formatTable(page.items as unknown as Record<string, unknown>[], [
          'id',
          'displayName',
          'externalId',
          'memberCount',
        ]),
      );
      if (page.nextCursor) print(ctx, `\nMore: --cursor ${page.nextCursor}`);
    },
  },
  {
    name: 'groups show',
    summary: 'Show one group and its first members',
    usage: 'groups show <group id or displayName>',
    options: {},
    async run(ctx, positionals) {
      const detail = await ctx.admin.getGroup(ctx.tenant, required(positionals, 0, 'the group', this.usage));
      if (ctx.json) return printJson(ctx, detail);
      print(ctx, `${detail.row.displayName} (${detail.row.id}), ${detail.row.memberCount} member(s)`);
      print(
        ctx,
        formatTable(detail.members as unknown as Record<string, unknown>[], ['value', 'type', 'display']),
      );
    },
  },
  // ---- audit
  {
    name: 'audit',
    summary: 'Query the journal; --follow prints new events as they happen',
    usage:
      'audit [--type scim.user.*]... [--resource <id>] [--since <ISO>] [--until <ISO>] [--limit 50] [--follow]',
    options: {
      type: { type: 'string', multiple: true },
      resource: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      follow: { type: 'boolean' },
    },
    async run(ctx, _positionals, values) {
      const types = (values.type as string[] | undefined)?.flatMap((t) => t.split(',')).filter(Boolean);
      const resource = str(values, 'resource');
      const since = str(values, 'since');
      const until = str(values, 'until');
      const limit = int(values, 'limit');
      const filter = {
        ...(types?.length ? { types } : {}),
        ...(resource ? { resourceId: resource } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(limit !== undefined ? { limit } : {}),
      };
      const line = (e: {
        position: number;
        time: string;
        type: string;
        resourceType?: string;
        resourceId?: string;
        actor?: string;
      }) =>
        ctx.json
          ? JSON.stringify(e)
          : `${e.time}  #${e.position}  ${e.type}  ${e.resourceType ?? ''}${e.resourceId ? `/${e.resourceId}` : ''}${e.actor ? `  by ${e.actor}` : ''}`;
      if (values.follow) {
        for await (const event of ctx.admin.followJournal(ctx.tenant, filter, { signal: ctx.signal }))
          print(ctx, line(event));
        return;
      }
      const events = await ctx.admin.queryJournal(ctx.tenant, { ...filter, order: 'ascending' });
      if (ctx.json) return printJson(ctx, events);
      for (const event of events) print(ctx, line(event));
      if (events.length === 0) print(ctx, 'No events match.');
    },
  },
  // ---- export / import / migrate
  {
    name: 'export',
    summary: 'Export a tenant as JSON lines (stdout or --out)',
    usage: 'export [--out tenant.jsonl] [--no-journal]',
    options: { out: { type: 'string' }, 'no-journal': { type: 'boolean' } },
    async run(ctx, _positionals, values) {
      const path = str(values, 'out');
      const out = path ? createWriteStream(path) : ctx.io.stdout;
      // A file that cannot be created fails here, as an error the CLI reports, not later as an
      // unhandled 'error' event.
      if (path) await once(out, 'open');
      let lines = 0;
      for await (const record of ctx.admin.exportTenant(ctx.tenant, {
        includeJournal: !values['no-journal'],
      })) {
        if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
        lines++;
      }
      if (path) {
        (out as ReturnType<typeof createWriteStream>).end();
        await once(out, 'finish');
        ctx.io.stderr.write(`Exported tenant ${ctx.tenant}: ${lines} lines to ${path}\n`);
      }
    },
  },
  {
    name: 'import',
    summary: 'Import a tenant from JSON lines (stdin or --in); safe to re-run',
    usage: 'import [--in tenant.jsonl] [--as <tenant id>]',
    options: { in: { type: 'string' }, as: { type: 'string' } },
    async run(ctx, _positionals, values) {
      const path = str(values, 'in');
      const as = str(values, 'as');
      const bar = createProgressBar(ctx.io.stderr);
      const result = await ctx.admin.importTenant(
        readJsonLines(path ? createReadStream(path) : ctx.io.stdin),
        {
          ...(as ? { tenantId: as } : {}),
          onProgress: (p) => bar.update(p.phase, p.done, p.total),
        },
      );
      bar.finish();
      if (ctx.json) return printJson(ctx, result);
      print(
        ctx,
        `Imported tenant ${result.tenantId}: ${result.written} written, ${result.skipped} already present.`,
      );
      print(
        ctx,
        `Now: ${result.counts.users} users, ${result.counts.groups} groups, ${result.counts.memberships} memberships, ${result.counts.credentials} tokens, ${result.counts.events} events.`,
      );
    },
  },
  {
    name: 'migrate',
    summary: 'Copy a tenant to another store, resumably, and verify the counts',
    usage: 'migrate --to sqlite:<path> | --to mongodb://host:27017/db [--to-db <name>] [--no-journal]',
    options: { to: { type: 'string' }, 'to-db': { type: 'string' }, 'no-journal': { type: 'boolean' } },
    async run(ctx, _positionals, values) {
      const to = str(values, 'to');
      if (!to) throw new UsageError(`--to is required\nusage: scim-admin ${this.usage}`);
      const target = parseStoreTarget(to, str(values, 'to-db'), process.env.INIT_CWD ?? process.cwd());
      let opened: OpenedStore;
      try {
        opened = await ctx.openStore(target);
      } catch (error) {
        throw new Error(`cannot open the target store ${to}: ${(error as Error).message}`);
      }
      const bar = createProgressBar(ctx.io.stderr);
      try {
        const result = await migrateTenant({
          from: ctx.store,
          to: opened.store,
          tenantId: ctx.tenant,
          includeJournal: !values['no-journal'],
          onProgress: (p) => bar.update(p.phase, p.done, p.total),
        });
        bar.finish();
        if (ctx.json) printJson(ctx, result);
        else {
          print(
            ctx,
            `Migrated tenant ${ctx.tenant} to ${opened.description}: ${result.written} written, ${result.skipped} already there.`,
          );
          print(
            ctx,
            result.verified
              ? 'Verified: every count matches.'
              : `Counts differ:\n  ${result.mismatches.join('\n  ')}`,
          );
        }
        if (!result.verified)
          throw new AdminError('conflict', 'the migration did not verify; run it again to resume');
      } finally {
        bar.finish();
        await opened.close();
      }
    },
  },
];
