// The SCIM settings page: vanilla JavaScript over the admin JSON API (/admin/api). No framework, no
// build step. Every value from the server is inserted as text (never as HTML).

const API = '/admin/api';
const TOKEN_KEY = 'scim-admin-token';
const TENANT_KEY = 'scim-admin-tenant';
const VIEWS = ['settings', 'users', 'groups', 'audit'];
const PAGE_SIZE = 25;

const $ = (selector) => {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
};

const state = {
  tenant: sessionStorage.getItem(TENANT_KEY) ?? '',
  roles: [],
  rolesDraft: [],
  mappings: [],
  editingMapping: null,
  users: { cursor: '', next: null },
  groups: { cursor: '', next: null },
  audit: { stack: [], before: null, next: null },
};

// ------------------------------------------------------------------ feedback

let statusTimer;
/** Visible, announced success feedback. */
function announce(message) {
  clearError();
  const status = $('#status');
  status.textContent = '';
  // A fresh text node makes screen readers announce the same message twice in a row too.
  requestAnimationFrame(() => {
    status.textContent = message;
  });
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => {
    status.textContent = '';
  }, 8000);
}

/** Visible, announced error message. */
function showError(message) {
  $('#status').textContent = '';
  $('#alert').textContent = message;
}

function clearError() {
  $('#alert').textContent = '';
}

// ------------------------------------------------------------------ API

class ApiFailure extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  let response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiFailure(
      0,
      'network',
      'The server could not be reached. Check that it is running and try again.',
    );
  }
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (response.ok) return data;
  const detail = data?.detail ?? `The server answered ${response.status} ${response.statusText}.`;
  if (response.status === 401) {
    signOut(`Your admin token was not accepted: ${detail}`);
  }
  throw new ApiFailure(response.status, data?.error ?? 'error', detail);
}

const tenantPath = (path) => `/tenants/${encodeURIComponent(state.tenant)}${path}`;

/** Runs an action, turning any failure into a visible error message. */
async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) return undefined;
    showError(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

// ------------------------------------------------------------------ DOM helpers

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function timeCell(iso, fallback = '–') {
  if (!iso) return el('span', { class: 'muted' }, fallback);
  const date = new Date(iso);
  return el('time', { datetime: iso, title: iso }, date.toLocaleString());
}

function relative(iso) {
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.round(hours / 24)} days ago`;
}

function badge(text, kind) {
  return el('span', { class: `badge badge-${kind}` }, text);
}

function emptyRow(tbody, columns, text) {
  tbody.replaceChildren(el('tr', {}, el('td', { colspan: columns, class: 'empty' }, text)));
}

/** datetime-local values are local times without a zone; the API wants ISO 8601 with one. */
function localToIso(value) {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

async function copyText(text, input, what) {
  try {
    await navigator.clipboard.writeText(text);
    announce(`${what} copied to the clipboard.`);
  } catch {
    // Clipboard API is unavailable on plain http outside localhost: select for Ctrl+C instead.
    input.focus();
    input.select();
    const copied = document.execCommand?.('copy');
    if (copied) announce(`${what} copied to the clipboard.`);
    else
      showError(
        `Could not copy automatically. The ${what.toLowerCase()} is selected: press Ctrl+C (or Cmd+C) to copy it.`,
      );
  }
}

function confirmAction(title, text, confirmLabel) {
  const dialog = $('#confirm-dialog');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = confirmLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        resolve(dialog.returnValue === 'confirm');
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      },
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
  });
}

// ------------------------------------------------------------------ session

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('#nav').hidden = true;
  $('#session').hidden = true;
  for (const view of VIEWS) $(`#view-${view}`).hidden = true;
  $('#view-login').hidden = false;
  const note = $('#login-message');
  note.hidden = !message;
  note.textContent = message ?? '';
  $('#admin-token').value = '';
  $('#admin-token').focus();
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  let session;
  try {
    session = await api('GET', '/session');
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.status !== 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      const note = $('#login-message');
      note.hidden = false;
      note.textContent = error.message;
    }
    return false;
  }
  const tenants = (await api('GET', '/tenants')).items;
  const select = $('#tenant-select');
  select.replaceChildren(
    ...tenants.map((t) => el('option', { value: t.id }, t.name === t.id ? t.id : `${t.name} (${t.id})`)),
  );
  const known = tenants.some((t) => t.id === state.tenant);
  state.tenant = known
    ? state.tenant
    : (tenants.find((t) => t.id === session.defaultTenant)?.id ?? tenants[0]?.id ?? '');
  select.value = state.tenant;
  sessionStorage.setItem(TENANT_KEY, state.tenant);
  $('#view-login').hidden = true;
  $('#login-message').hidden = true;
  $('#nav').hidden = false;
  $('#session').hidden = false;
  return true;
}

// ------------------------------------------------------------------ views

function currentView() {
  const name = location.hash.replace(/^#/, '');
  return VIEWS.includes(name) ? name : 'settings';
}

async function showView(name, { focus = true } = {}) {
  for (const view of VIEWS) $(`#view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${$(`#${name}-title`).textContent} · SCIM provisioning`;
  if (focus) $(`#${name}-title`).focus();
  await loaders[name]();
}

const loaders = {
  settings: () => attempt(loadSettings),
  users: () => attempt(() => loadUsers(state.users.cursor)),
  groups: () => attempt(() => loadGroups(state.groups.cursor)),
  audit: () => attempt(() => loadAudit(state.audit.before)),
};

// ------------------------------------------------------------------ settings

async function loadSettings() {
  const [tenant, tokens, settings, groups] = await Promise.all([
    api('GET', tenantPath('')),
    api('GET', tenantPath('/tokens')),
    api('GET', tenantPath('/roles')),
    api('GET', tenantPath('/groups?count=200')),
  ]);
  renderConnection(tenant);
  renderTokens(tokens.items);
  state.roles = settings.roles;
  state.rolesDraft = [...settings.roles];
  state.mappings = settings.mappings;
  renderRoles(settings);
  renderMappings();
  $('#group-names').replaceChildren(...groups.items.map((g) => el('option', { value: g.displayName })));
}

function renderConnection(tenant) {
  $('#base-url').value = tenant.baseUrl;
  const lastSync = $('#last-sync');
  lastSync.replaceChildren(
    tenant.lastSyncAt
      ? el('span', {}, `${relative(tenant.lastSyncAt)} (`, timeCell(tenant.lastSyncAt), ')')
      : el('span', { class: 'muted' }, 'never: no identity provider has written yet'),
  );
  $('#count-users').textContent = String(tenant.counts.users);
  $('#count-deprovisioned').textContent = String(tenant.counts.deprovisionedUsers);
  $('#count-groups').textContent = String(tenant.counts.groups);
  $('#count-tokens').textContent = String(tenant.counts.activeTokens);
}

function renderTokens(tokens) {
  const tbody = $('#tokens-table tbody');
  if (tokens.length === 0) return emptyRow(tbody, 6, 'No tokens yet. Issue one for your identity provider.');
  const order = { active: 0, expired: 1, revoked: 2 };
  const sorted = [...tokens].sort(
    (a, b) => order[a.state] - order[b.state] || b.createdAt.localeCompare(a.createdAt),
  );
  tbody.replaceChildren(
    ...sorted.map((token) => {
      const ends = token.revokedAt
        ? el('span', {}, 'revoked ', timeCell(token.revokedAt))
        : token.expiresAt
          ? el('span', {}, token.state === 'expired' ? 'expired ' : 'expires ', timeCell(token.expiresAt))
          : el('span', { class: 'muted' }, 'never expires');
      const actions =
        token.state === 'active'
          ? el(
              'form',
              { class: 'row-actions', onsubmit: (event) => onRotate(event, token) },
              el(
                'label',
                { for: `grace-${token.id}` },
                'Grace (min)',
                el('span', { class: 'visually-hidden' }, ` for ${token.name}`),
              ),
              el('input', {
                id: `grace-${token.id}`,
                type: 'number',
                min: '0',
                max: '43200',
                step: '1',
                value: '60',
                class: 'narrow-input',
                required: true,
              }),
              el(
                'button',
                { type: 'submit', class: 'secondary', 'aria-label': `Rotate ${token.name}` },
                'Rotate',
              ),
              el(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `Revoke ${token.name}`,
                  onclick: () => onRevoke(token),
                },
                'Revoke',
              ),
            )
          : el('span', { class: 'muted' }, 'none');
      return el(
        'tr',
        { 'data-token-id': token.id },
        el('th', { scope: 'row' }, token.name),
        el(
          'td',
          {},
          badge(token.state, token.state === 'active' ? 'ok' : token.state === 'revoked' ? 'bad' : 'warn'),
        ),
        el('td', {}, timeCell(token.createdAt)),
        el('td', {}, timeCell(token.lastUsedAt, 'never')),
        el('td', {}, ends),
        el('td', {}, actions),
      );
    }),
  );
}

function showSecret(title, secret) {
  $('#secret-title').textContent = title;
  $('#secret-value').value = secret;
  $('#secret-panel').hidden = false;
  $('#secret-value').focus();
  $('#secret-value').select();
}

async function onIssue(event) {
  event.preventDefault();
  const name = $('#token-name').value.trim();
  if (!name) return showError('Give the token a name, for example the identity provider it is for.');
  const expiresAt = localToIso($('#token-expires').value);
  await attempt(async () => {
    const result = await api('POST', tenantPath('/tokens'), { name, ...(expiresAt ? { expiresAt } : {}) });
    $('#issue-form').reset();
    await loadSettings();
    showSecret(`New token "${result.token.name}"`, result.secret);
    announce(`Token "${result.token.name}" issued. Copy it now: it is shown only once.`);
  });
}

async function onRotate(event, token) {
  event.preventDefault();
  const minutes = Number(event.currentTarget.querySelector('input').value);
  if (!Number.isInteger(minutes) || minutes < 0)
    return showError('The grace period must be a whole number of minutes, 0 or more.');
  const ok = await confirmAction(
    `Rotate "${token.name}"?`,
    `A new token replaces it. The old one keeps working for ${minutes} minute${minutes === 1 ? '' : 's'}, so you can update the identity provider in time.`,
    'Rotate token',
  );
  if (!ok) return announce('Rotation cancelled.');
  await attempt(async () => {
    const result = await api('POST', tenantPath(`/tokens/${encodeURIComponent(token.id)}/rotate`), {
      graceSeconds: minutes * 60,
    });
    await loadSettings();
    showSecret(`Rotated token "${result.token.name}"`, result.secret);
    announce(
      `Token "${token.name}" rotated; the old one stops working in ${minutes} minute${minutes === 1 ? '' : 's'}. Copy the new one now.`,
    );
  });
}

async function onRevoke(token) {
  const ok = await confirmAction(
    `Revoke "${token.name}"?`,
    'The identity provider using this token will be refused at once. This cannot be undone.',
    'Revoke token',
  );
  if (!ok) return announce('Revocation cancelled.');
  await attempt(async () => {
    await api('POST', tenantPath(`/tokens/${encodeURIComponent(token.id)}/revoke`));
    await loadSettings();
    announce(`Token "${token.name}" revoked.`);
  });
}

// ---- roles

function renderRoles(settings) {
  renderRoleList();
  renderDefaultRole(settings?.defaultRole ?? $('#default-role').value);
  if (settings) $('#deactivate-unmapped').checked = settings.deactivateUnmapped;
  const roleSelect = $('#mapping-role');
  const current = roleSelect.value;
  roleSelect.replaceChildren(...state.roles.map((r) => el('option', { value: r }, r)));
  if (state.roles.includes(current)) roleSelect.value = current;
}

function renderDefaultRole(selected) {
  const select = $('#default-role');
  select.replaceChildren(
    el('option', { value: '' }, '(no role)'),
    ...state.rolesDraft.map((r) => el('option', { value: r }, r)),
  );
  select.value = state.rolesDraft.includes(selected) ? selected : '';
}

function renderRoleList(focusRole, focusAction) {
  const list = $('#role-list');
  if (state.rolesDraft.length === 0) {
    list.replaceChildren(
      el('li', { class: 'empty' }, 'No roles yet. Add the roles of your product, highest privilege first.'),
    );
    return;
  }
  list.replaceChildren(
    ...state.rolesDraft.map((role, index) =>
      el(
        'li',
        {},
        el('span', { class: 'role-name' }, role),
        el(
          'span',
          { class: 'role-actions' },
          el(
            'button',
            {
              type: 'button',
              class: 'icon',
              'data-action': 'up',
              'aria-label': `Move ${role} up`,
              disabled: index === 0,
              onclick: () => moveRole(index, -1, 'up'),
            },
            '↑',
          ),
          el(
            'button',
            {
              type: 'button',
              class: 'icon',
              'data-action': 'down',
              'aria-label': `Move ${role} down`,
              disabled: index === state.rolesDraft.length - 1,
              onclick: () => moveRole(index, 1, 'down'),
            },
            '↓',
          ),
          el(
            'button',
            {
              type: 'button',
              class: 'icon danger',
              'data-action': 'remove',
              'aria-label': `Remove ${role}`,
              onclick: () => removeRole(index),
            },
            '✕',
          ),
        ),
      ),
    ),
  );
  if (focusRole) {
    const item = [...list.children].find((li) => li.querySelector('.role-name')?.textContent === focusRole);
    const button =
      item?.querySelector(`[data-action="${focusAction}"]:not([disabled])`) ??
      item?.querySelector('button:not([disabled])');
    button?.focus();
  }
}

function moveRole(index, delta, action) {
  const roles = state.rolesDraft;
  const target = index + delta;
  if (target < 0 || target >= roles.length) return;
  [roles[index], roles[target]] = [roles[target], roles[index]];
  renderRoleList(roles[target], action);
  announce(`${roles[target]} moved to position ${target + 1} of ${roles.length}. Save roles to apply.`);
}

function removeRole(index) {
  const [role] = state.rolesDraft.splice(index, 1);
  const selected = $('#default-role').value;
  renderRoleList();
  renderDefaultRole(selected);
  $('#new-role').focus();
  announce(`${role} removed from the list. Save roles to apply.`);
}

function onAddRole(event) {
  event.preventDefault();
  const input = $('#new-role');
  const role = input.value.trim();
  if (!role) return showError('Type the name of the role to add.');
  if (state.rolesDraft.includes(role)) return showError(`The role "${role}" is already in the list.`);
  state.rolesDraft.push(role);
  const selected = $('#default-role').value;
  renderRoleList();
  renderDefaultRole(selected);
  input.value = '';
  input.focus();
  announce(`${role} added at position ${state.rolesDraft.length}. Save roles to apply.`);
}

async function onSaveRoles(event) {
  event.preventDefault();
  const defaultRole = $('#default-role').value || null;
  await attempt(async () => {
    const result = await api('PUT', tenantPath('/roles'), {
      roles: state.rolesDraft,
      defaultRole,
      deactivateUnmapped: $('#deactivate-unmapped').checked,
    });
    state.roles = result.settings.roles;
    state.rolesDraft = [...result.settings.roles];
    state.mappings = result.settings.mappings;
    renderRoles(result.settings);
    renderMappings();
    announce(`Roles saved. ${changedUsers(result.usersChanged)}`);
  });
}

function changedUsers(count) {
  return count === 0
    ? 'No user’s access changed.'
    : `${count} user${count === 1 ? '’s' : 's’'} access changed.`;
}

// ---- mappings

const MATCH_LABELS = { displayName: 'Name', externalId: 'externalId', id: 'id' };

function renderMappings() {
  const tbody = $('#mappings-table tbody');
  if (state.mappings.length === 0) return emptyRow(tbody, 4, 'No mappings. Users get the default role.');
  const rank = (role) => state.roles.indexOf(role);
  const sorted = [...state.mappings].sort(
    (a, b) => rank(a.role) - rank(b.role) || a.value.localeCompare(b.value),
  );
  tbody.replaceChildren(
    ...sorted.map((mapping) =>
      el(
        'tr',
        {},
        el('td', {}, MATCH_LABELS[mapping.match] ?? mapping.match),
        el('th', { scope: 'row' }, mapping.value),
        el('td', {}, mapping.role),
        el(
          'td',
          { class: 'row-actions' },
          el(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'aria-label': `Edit mapping of ${mapping.value}`,
              onclick: () => startEditMapping(mapping),
            },
            'Edit',
          ),
          el(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Remove mapping of ${mapping.value}`,
              onclick: () => onRemoveMapping(mapping),
            },
            'Remove',
          ),
        ),
      ),
    ),
  );
}

function startEditMapping(mapping) {
  state.editingMapping = { match: mapping.match, value: mapping.value };
  $('#mapping-match').value = mapping.match;
  $('#mapping-value').value = mapping.value;
  $('#mapping-role').value = mapping.role;
  $('#mapping-submit').textContent = 'Save mapping';
  $('#mapping-cancel').hidden = false;
  $('#mapping-value').focus();
  announce(`Editing the mapping of ${mapping.value}. Change it and save, or cancel.`);
}

function stopEditMapping() {
  state.editingMapping = null;
  $('#mapping-form').reset();
  $('#mapping-submit').textContent = 'Add mapping';
  $('#mapping-cancel').hidden = true;
}

async function onSaveMapping(event) {
  event.preventDefault();
  const mapping = {
    match: $('#mapping-match').value,
    value: $('#mapping-value').value.trim(),
    role: $('#mapping-role').value,
  };
  if (!mapping.value) return showError('Type the group to map (its name, externalId or id).');
  if (!mapping.role) return showError('Add roles first (in Roles), then map groups to them.');
  const editing = state.editingMapping;
  await attempt(async () => {
    const result = editing
      ? await api(
          'PUT',
          tenantPath(`/mappings/${encodeURIComponent(editing.match)}/${encodeURIComponent(editing.value)}`),
          mapping,
        )
      : await api('POST', tenantPath('/mappings'), mapping);
    state.mappings = result.settings.mappings;
    stopEditMapping();
    renderMappings();
    announce(
      `${editing ? 'Mapping saved' : 'Mapping added'}: ${mapping.value} → ${mapping.role}. ${changedUsers(result.usersChanged)}`,
    );
  });
}

async function onRemoveMapping(mapping) {
  const ok = await confirmAction(
    `Remove the mapping of "${mapping.value}"?`,
    `Members of ${mapping.value} lose the role ${mapping.role} unless another mapping or the default role gives them one.`,
    'Remove mapping',
  );
  if (!ok) return announce('Nothing removed.');
  await attempt(async () => {
    const result = await api(
      'DELETE',
      tenantPath(`/mappings/${encodeURIComponent(mapping.match)}/${encodeURIComponent(mapping.value)}`),
    );
    state.mappings = result.settings.mappings;
    if (state.editingMapping?.value === mapping.value) stopEditMapping();
    renderMappings();
    $('#mapping-value').focus();
    announce(`Mapping of ${mapping.value} removed. ${changedUsers(result.usersChanged)}`);
  });
}

// ------------------------------------------------------------------ users

async function loadUsers(cursor) {
  const params = new URLSearchParams({ count: String(PAGE_SIZE) });
  const q = $('#users-q').value.trim();
  const status = $('#users-status').value;
  if (q) params.set('q', q);
  if (status) params.set('status', status);
  if ($('#users-deprovisioned').checked) params.set('includeDeprovisioned', 'true');
  if (cursor) params.set('cursor', cursor);
  const page = await api('GET', tenantPath(`/users?${params}`));
  state.users = { cursor: cursor ?? '', next: page.nextCursor ?? null };
  const tbody = $('#users-table tbody');
  if (page.items.length === 0)
    emptyRow(tbody, 6, q || status ? 'No user matches the filter.' : 'No users have been provisioned yet.');
  else
    tbody.replaceChildren(
      ...page.items.map((user) =>
        el(
          'tr',
          { 'data-user-id': user.id },
          el('th', { scope: 'row', class: 'mono' }, user.userName),
          el('td', {}, user.displayName ?? ''),
          el(
            'td',
            {},
            badge(
              user.deprovisionedAt ? 'deprovisioned' : user.status,
              user.status === 'active' ? 'ok' : 'bad',
            ),
          ),
          el('td', {}, user.role ?? el('span', { class: 'muted' }, 'no role')),
          el('td', { class: 'reason' }, user.reason),
          el('td', {}, timeCell(user.lastModified)),
        ),
      ),
    );
  $('#users-next').disabled = !page.nextCursor;
  $('#users-first').disabled = !cursor;
  $('#users-summary').textContent =
    page.total !== undefined ? `${page.items.length} shown of ${page.total}` : `${page.items.length} shown`;
  return page;
}

// ------------------------------------------------------------------ groups

async function loadGroups(cursor) {
  const params = new URLSearchParams({ count: String(PAGE_SIZE) });
  const q = $('#groups-q').value.trim();
  if (q) params.set('q', q);
  if (cursor) params.set('cursor', cursor);
  const [page, settings] = await Promise.all([
    api('GET', tenantPath(`/groups?${params}`)),
    api('GET', tenantPath('/roles')),
  ]);
  state.groups = { cursor: cursor ?? '', next: page.nextCursor ?? null };
  const roleOf = (group) => {
    const hit = settings.mappings.find((m) =>
      m.match === 'displayName'
        ? m.value.toLowerCase() === group.displayName.toLowerCase()
        : m.match === 'externalId'
          ? m.value === group.externalId
          : m.value === group.id,
    );
    return hit?.role;
  };
  const tbody = $('#groups-table tbody');
  if (page.items.length === 0)
    emptyRow(tbody, 5, q ? 'No group matches the filter.' : 'No groups have been pushed yet.');
  else
    tbody.replaceChildren(
      ...page.items.map((group) =>
        el(
          'tr',
          { 'data-group-id': group.id },
          el('th', { scope: 'row' }, group.displayName),
          el('td', { class: 'mono' }, group.externalId ?? ''),
          el('td', { class: 'num' }, String(group.memberCount)),
          el('td', {}, roleOf(group) ?? el('span', { class: 'muted' }, 'not mapped')),
          el('td', {}, timeCell(group.lastModified)),
        ),
      ),
    );
  $('#groups-next').disabled = !page.nextCursor;
  $('#groups-first').disabled = !cursor;
  $('#groups-summary').textContent = `${page.items.length} shown of ${page.total ?? page.items.length}`;
  return page;
}

// ------------------------------------------------------------------ audit

function formatValue(value) {
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (value === null) return 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function describeEvent(event) {
  const parts = [];
  if (event.changedAttributes?.length) parts.push(`changed: ${event.changedAttributes.join(', ')}`);
  const data = { ...(event.data ?? {}) };
  // Role changes read as "old -> new (why)", whichever writer (SCIM or the admin) recorded them.
  const oldRole = 'oldRole' in data ? data.oldRole : data.before?.role;
  const newRole = 'newRole' in data ? data.newRole : data.after?.role;
  if (event.type === 'scim.role.changed' && (newRole !== undefined || oldRole !== undefined)) {
    parts.push(`role: ${oldRole ?? 'none'} → ${newRole ?? 'none'}`);
    const newStatus = data.newStatus ?? data.after?.status;
    const oldStatus = data.oldStatus ?? data.before?.status;
    if (newStatus && newStatus !== oldStatus) parts.push(`status: ${oldStatus ?? 'none'} → ${newStatus}`);
    const reason = data.reason ?? data.after?.reason;
    if (reason) parts.push(reason);
    if (data.cause) parts.push(data.cause);
    return parts.join('; ');
  }
  for (const [key, value] of Object.entries(data)) parts.push(`${key}: ${formatValue(value)}`);
  return parts.join('; ');
}

async function loadAudit(before) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  const type = $('#audit-type').value.trim();
  const since = localToIso($('#audit-since').value);
  const until = localToIso($('#audit-until').value);
  const resourceId = $('#audit-resource').value.trim();
  if (type) params.set('type', type);
  if (since) params.set('since', since);
  if (until) params.set('until', until);
  if (resourceId) params.set('resourceId', resourceId);
  if (before) params.set('before', String(before));
  const [page, tokens] = await Promise.all([
    api('GET', tenantPath(`/audit?${params}`)),
    api('GET', tenantPath('/tokens')),
  ]);
  // SCIM changes are recorded with the credential id: show the token's name beside it.
  const tokenNames = new Map(tokens.items.map((t) => [t.id, t.name]));
  const actorCell = (actor) =>
    tokenNames.has(actor) ? el('span', { title: actor }, `token "${tokenNames.get(actor)}"`) : (actor ?? '');
  state.audit.before = before ?? null;
  state.audit.next = page.nextBefore ?? null;
  const tbody = $('#audit-table tbody');
  if (page.items.length === 0) emptyRow(tbody, 5, 'No events match the filters.');
  else
    tbody.replaceChildren(
      ...page.items.map((event) =>
        el(
          'tr',
          { 'data-event-type': event.type },
          el('td', { class: 'nowrap' }, timeCell(event.time)),
          el('th', { scope: 'row', class: 'mono' }, event.type),
          el(
            'td',
            { class: 'mono' },
            event.resourceId ? `${event.resourceType ?? ''} ${event.resourceId}`.trim() : '',
          ),
          el('td', {}, actorCell(event.actor)),
          el('td', { class: 'details' }, describeEvent(event)),
        ),
      ),
    );
  $('#audit-older').disabled = !page.nextBefore;
  $('#audit-newer').disabled = state.audit.stack.length === 0;
  const pageNumber = state.audit.stack.length + 1;
  $('#audit-summary').textContent =
    `Page ${pageNumber}, ${page.items.length} event${page.items.length === 1 ? '' : 's'}, newest first`;
  return page;
}

// ------------------------------------------------------------------ wiring

function wire() {
  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = $('#admin-token').value.trim();
    if (!token) return;
    if (await signIn(token)) {
      announce('Signed in.');
      await showView(currentView());
    }
  });
  $('#sign-out').addEventListener('click', () => {
    signOut('Signed out. The admin token was removed from this tab.');
    $('#status').textContent = '';
  });
  $('#tenant-select').addEventListener('change', async (event) => {
    state.tenant = event.target.value;
    sessionStorage.setItem(TENANT_KEY, state.tenant);
    state.users = { cursor: '', next: null };
    state.groups = { cursor: '', next: null };
    state.audit = { stack: [], before: null, next: null };
    stopEditMapping();
    $('#secret-panel').hidden = true;
    await showView(currentView(), { focus: false });
    announce(`Showing tenant ${state.tenant}.`);
  });
  window.addEventListener('hashchange', () => {
    if (sessionStorage.getItem(TOKEN_KEY)) showView(currentView());
  });
  for (const button of document.querySelectorAll('[data-refresh]')) {
    button.addEventListener('click', async () => {
      const view = button.getAttribute('data-refresh');
      const result = await loaders[view]();
      if (result !== undefined || view === 'settings')
        announce(`${$(`#${view}-title`).textContent} refreshed.`);
    });
  }

  $('#copy-base-url').addEventListener('click', () =>
    copyText($('#base-url').value, $('#base-url'), 'Base URL'),
  );
  $('#copy-secret').addEventListener('click', () =>
    copyText($('#secret-value').value, $('#secret-value'), 'Token'),
  );
  $('#dismiss-secret').addEventListener('click', () => {
    $('#secret-value').value = '';
    $('#secret-panel').hidden = true;
    $('#token-name').focus();
    announce('The token secret was cleared from the page.');
  });
  $('#issue-form').addEventListener('submit', onIssue);
  $('#add-role-form').addEventListener('submit', onAddRole);
  $('#roles-form').addEventListener('submit', onSaveRoles);
  $('#mapping-form').addEventListener('submit', onSaveMapping);
  $('#mapping-cancel').addEventListener('click', () => {
    stopEditMapping();
    announce('Edit cancelled.');
  });

  $('#users-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    const page = await attempt(() => loadUsers(''));
    if (page) announce(`${page.items.length} user${page.items.length === 1 ? '' : 's'} shown.`);
  });
  $('#users-next').addEventListener('click', () => attempt(() => loadUsers(state.users.next)));
  $('#users-first').addEventListener('click', () => attempt(() => loadUsers('')));

  $('#groups-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    const page = await attempt(() => loadGroups(''));
    if (page) announce(`${page.items.length} group${page.items.length === 1 ? '' : 's'} shown.`);
  });
  $('#groups-next').addEventListener('click', () => attempt(() => loadGroups(state.groups.next)));
  $('#groups-first').addEventListener('click', () => attempt(() => loadGroups('')));

  $('#audit-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    state.audit.stack = [];
    const page = await attempt(() => loadAudit(null));
    if (page) announce(`${page.items.length} event${page.items.length === 1 ? '' : 's'} shown.`);
  });
  $('#audit-filter').addEventListener('reset', () => {
    // The reset clears the inputs after this handler runs.
    setTimeout(async () => {
      state.audit.stack = [];
      const page = await attempt(() => loadAudit(null));
      if (page) announce('Filters cleared.');
    });
  });
  $('#audit-older').addEventListener('click', async () => {
    if (!state.audit.next) return;
    state.audit.stack.push(state.audit.before);
    const page = await attempt(() => loadAudit(state.audit.next));
    if (!page) state.audit.stack.pop();
    $('#audit-newer').disabled = state.audit.stack.length === 0;
  });
  $('#audit-newer').addEventListener('click', async () => {
    if (state.audit.stack.length === 0) return;
    const previous = state.audit.stack.pop();
    await attempt(() => loadAudit(previous));
  });
}

async function start() {
  wire();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && (await signIn(token))) await showView(currentView(), { focus: false });
  else if (!token) signOut();
}

start();
