import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  type BrowserHarness,
  chromiumMissing,
  GROUP_SCHEMA,
  PATCH_SCHEMA,
  startBrowserHarness,
  USER_SCHEMA,
} from './harness.ts';

const missing = chromiumMissing();
/** docs/screenshots with UPDATE_SCREENSHOTS=1 (to refresh the README's pictures), else a temp folder. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url))
  : join(tmpdir(), 'scim-admin-screenshots');
const WAIT = { timeout: 10_000, interval: 100 };

// biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text with cells apart, as a user reads it.
const text = (locator: Locator) => locator.innerText();
const rowOf = (page: Page, table: string, cellText: string) =>
  page.locator(`${table} tbody tr`).filter({ has: page.getByText(cellText, { exact: true }) });
const statusSays = (page: Page, fragment: string) =>
  expect.poll(() => text(page.locator('#status')), WAIT).toContain(fragment);

describe('settings page in Chromium', { timeout: 60_000 }, () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    if (missing) {
      // In CI the browser tests are required: fail loudly instead of skipping.
      if (process.env.CI) throw new Error(missing);
      console.warn(`browser tests skipped: ${missing}`);
      return;
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    h = await startBrowserHarness();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  beforeEach((ctx) => {
    if (missing) ctx.skip(missing);
  });

  it('asks for the admin token, refuses a SCIM token and shows the API error', async () => {
    const { scimToken } = await h.createTenant('signin');
    const page = await h.context.newPage();
    await page.goto(`${h.origin}/admin`);
    const token = page.getByLabel('Admin token');
    await expect.poll(() => page.evaluate('document.activeElement?.id'), WAIT).toBe('admin-token');
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await page.getByLabel('Tenant').isVisible()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });

    await token.fill(scimToken);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => text(page.locator('#login-message')), WAIT)
      .toContain('SCIM tokens are not accepted');
    expect(await page.evaluate(() => sessionStorage.getItem('scim-admin-token'))).toBeNull();

    await token.fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect.poll(() => page.getByLabel('SCIM base URL').inputValue(), WAIT).toBe(h.server.baseUrl);
    // The token lives in this tab only: a reload keeps the session, a new tab asks again.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const other = await h.context.newPage();
    await other.goto(`${h.origin}/admin`);
    await other.getByLabel('Admin token').waitFor();
    expect(await other.getByRole('navigation', { name: 'Sections' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    await Promise.all([page.close(), other.close()]);
  });

  it('issues a token shown once, which then works against the SCIM API; rotates and revokes tokens', async () => {
    const { tenantId } = await h.createTenant('tokens');
    const page = await h.openAdmin(tenantId);

    await page.getByLabel('Name', { exact: true }).fill('Okta production');
    await page.getByRole('button', { name: 'Issue token' }).click();
    const panel = page.getByRole('region', { name: /New token/ });
    await panel.waitFor();
    expect(await text(panel)).toContain('shown only once');
    await statusSays(page, 'Token "Okta production" issued');
    const secret = await page.getByLabel('Token secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);

    await page.getByRole('button', { name: 'Copy token' }).click();
    await statusSays(page, 'Token copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);

    const works = await h.scim(secret, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'first@example.com',
    });
    expect(works.status).toBe(201);
    const row = rowOf(page, '#tokens-table', 'Okta production');
    expect(await text(row)).toContain('active');
    await page.screenshot({ path: join(SCREENSHOTS, 'token-issued.png') });

    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await panel.isVisible()).toBe(false);
    expect(await page.content()).not.toContain(secret);

    // "Last used" appears once the IdP has called.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => text(rowOf(page, '#tokens-table', 'Okta production').locator('td').nth(2)), WAIT)
      .not.toBe('never');

    // Rotate with a 5-minute grace period: both the old and the new secret work meanwhile.
    await row.getByLabel(/Grace \(min\)/).fill('5');
    await row.getByRole('button', { name: 'Rotate Okta production' }).click();
    const dialog = page.getByRole('dialog');
    expect(await text(dialog)).toContain('keeps working for 5 minutes');
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    await statusSays(page, 'rotated');
    const rotated = await page.getByLabel('Token secret').inputValue();
    expect(rotated).not.toBe(secret);
    expect((await h.scim(rotated, 'GET', '/Users')).status).toBe(200);
    expect((await h.scim(secret, 'GET', '/Users')).status).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();

    // Revoke needs a confirmation; cancelling changes nothing.
    const active = page
      .locator('#tokens-table tbody tr')
      .filter({ hasText: 'Okta production' })
      .filter({ hasText: 'active' });
    await active
      .first()
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await statusSays(page, 'Revocation cancelled');
    expect((await h.scim(rotated, 'GET', '/Users')).status).toBe(200);

    const tokens = (await h.admin('GET', `/tenants/${tenantId}/tokens`)).items as Array<{
      id: string;
      name: string;
      state: string;
      expiresAt?: string;
    }>;
    const fresh = tokens.find((t) => t.name === 'Okta production' && !t.expiresAt);
    expect(fresh).toBeDefined();
    await page
      .locator(`tr[data-token-id="${fresh!.id}"]`)
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await statusSays(page, 'revoked');
    expect((await h.scim(rotated, 'GET', '/Users')).status).toBe(401);
    expect(await text(page.locator(`tr[data-token-id="${fresh!.id}"]`))).toContain('revoked');

    // An error is shown, not swallowed: an expiry in the past is refused with the API's reason.
    await page.getByLabel('Name', { exact: true }).fill('Expired already');
    await page.getByLabel('Expires (optional)').fill('2001-01-01T10:00');
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => text(page.getByRole('alert')), WAIT).toContain('in the past');
    await page.close();
  });

  it('maps a group to a role in the page; a user provisioned into that group over SCIM changes role', async () => {
    const { tenantId, scimToken } = await h.createTenant('roles');
    const page = await h.openAdmin(tenantId);

    for (const role of ['member', 'admin', 'viewer']) {
      await page.getByLabel('New role').fill(role);
      await page.keyboard.press('Enter');
      await statusSays(page, `${role} added`);
    }
    // Keyboard reordering: admin is the highest privilege.
    await page.getByRole('button', { name: 'Move admin up' }).focus();
    await page.keyboard.press('Enter');
    await statusSays(page, 'admin moved to position 1');
    expect(await page.getByRole('button', { name: 'Move admin up' }).isDisabled()).toBe(true);
    await page.getByLabel('Default role (users in no mapped group)').selectOption('viewer');
    await page.getByRole('button', { name: 'Save roles' }).click();
    await statusSays(page, 'Roles saved');
    expect((await h.admin('GET', `/tenants/${tenantId}/roles`)).roles).toEqual(['admin', 'member', 'viewer']);

    // A user provisioned before any mapping gets the default role.
    const ada = await h.scim(scimToken, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'ada@example.com',
      displayName: 'Ada Lovelace',
    });
    expect(ada.status).toBe(201);
    await page.getByRole('link', { name: 'Users' }).click();
    const adaRow = rowOf(page, '#users-table', 'ada@example.com');
    await expect.poll(() => text(adaRow), WAIT).toContain('viewer');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Match group by').selectOption('displayName');
    await page.getByLabel('Group', { exact: true }).fill('Engineering');
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await statusSays(page, 'Mapping added: Engineering → member');
    // Edit it to admin.
    await page.getByRole('button', { name: 'Edit mapping of Engineering' }).click();
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await statusSays(page, 'Mapping saved: Engineering → admin');
    expect(await text(rowOf(page, '#mappings-table', 'Engineering'))).toContain('admin');
    // Adding the same group again is refused with a message.
    await page.getByLabel('Group', { exact: true }).fill('engineering');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await expect.poll(() => text(page.getByRole('alert')), WAIT).toContain('already mapped');

    const group = await h.scim(scimToken, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Engineering',
      members: [{ value: ada.body.id }],
    });
    expect(group.status).toBe(201);

    await page.getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => text(adaRow), WAIT).toContain('admin');
    expect(await text(adaRow)).toContain('Engineering');

    await page.getByRole('link', { name: 'Groups' }).click();
    const groupRow = rowOf(page, '#groups-table', 'Engineering');
    await expect.poll(() => text(groupRow), WAIT).toContain('admin');
    expect(await text(groupRow.locator('td.num'))).toBe('1');

    // Removing the mapping (confirmed) sends the user back to the default role.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Remove mapping of Engineering' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove mapping' }).click();
    await statusSays(page, 'Mapping of Engineering removed');
    await page.getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => text(adaRow), WAIT).toContain('viewer');
    await page.close();
  });

  it('shows a user deactivated or deleted over SCIM in the users table and in the audit log', async () => {
    const { tenantId, scimToken } = await h.createTenant('deact');
    const grace = await h.scim(scimToken, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'grace@example.com',
      displayName: 'Grace Hopper',
    });
    const linus = await h.scim(scimToken, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'linus@example.com',
    });
    await h.scim(scimToken, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'ken@example.com' });
    const page = await h.openAdmin(tenantId);
    await page.getByRole('link', { name: 'Users' }).click();
    const graceRow = rowOf(page, '#users-table', 'grace@example.com');
    await expect.poll(() => text(graceRow), WAIT).toContain('active');

    const patched = await h.scim(scimToken, 'PATCH', `/Users/${grace.body.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(patched.status).toBeLessThan(300);
    expect((await h.scim(scimToken, 'DELETE', `/Users/${linus.body.id}`)).status).toBe(204);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => text(graceRow), WAIT).toContain('inactive');
    const linusRow = rowOf(page, '#users-table', 'linus@example.com');
    expect(await text(linusRow)).toContain('deprovisioned');

    // The filter box and the status filter.
    await page.getByLabel('Status').selectOption('inactive');
    await page.getByRole('button', { name: 'Filter' }).click();
    await statusSays(page, '2 users shown');
    await page.getByLabel('Search users').fill('GRACE');
    await page.keyboard.press('Enter');
    await statusSays(page, '1 user shown');
    expect(await page.locator('#users-table tbody tr').count()).toBe(1);
    await page.getByLabel('Include deprovisioned').uncheck();
    await page.getByLabel('Search users').fill('linus');
    await page.getByRole('button', { name: 'Filter' }).click();
    await statusSays(page, '0 users shown');
    expect(await text(page.locator('#users-table tbody'))).toContain('No user matches the filter');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Event type').fill('scim.user.*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await statusSays(page, 'events shown');
    const types = await page.locator('#audit-table tbody th').allInnerTexts();
    expect(types.every((t) => t.startsWith('scim.user.'))).toBe(true);
    const deactivated = page.locator('#audit-table tbody tr[data-event-type="scim.user.deactivated"]');
    await expect.poll(() => deactivated.count(), WAIT).toBe(2);
    expect(await deactivated.allInnerTexts()).toEqual(
      expect.arrayContaining([
        expect.stringContaining(grace.body.id),
        expect.stringContaining(linus.body.id),
      ]),
    );
    // A time window in the future holds nothing; a bad range is refused with a message.
    await page.getByLabel('From').fill('2099-01-01T00:00');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await statusSays(page, '0 events shown');
    await page.getByLabel('Until').fill('2098-01-01T00:00');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => text(page.getByRole('alert')), WAIT).toContain("'since'");
    await page.close();
  });

  it('pages through the audit log, newest first', async () => {
    const { tenantId, scimToken } = await h.createTenant('paging');
    for (let i = 0; i < 30; i++) {
      const res = await h.scim(scimToken, 'POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: `user${String(i).padStart(2, '0')}@example.com`,
      });
      expect(res.status).toBe(201);
    }
    const page = await h.openAdmin(tenantId);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Event type').fill('scim.user.provisioned');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await statusSays(page, '25 events shown');
    const older = page.getByRole('button', { name: 'Older' });
    const newer = page.getByRole('button', { name: 'Newer' });
    expect(await newer.isDisabled()).toBe(true);
    const firstPage = await page.locator('#audit-table tbody td.mono').allInnerTexts();
    await older.click();
    await expect.poll(() => text(page.locator('#audit-summary')), WAIT).toContain('Page 2, 5 events');
    expect(await older.isDisabled()).toBe(true);
    const secondPage = await page.locator('#audit-table tbody td.mono').allInnerTexts();
    expect(new Set([...firstPage, ...secondPage]).size).toBe(30);
    await newer.click();
    await expect.poll(() => text(page.locator('#audit-summary')), WAIT).toContain('Page 1, 25 events');
    expect(await page.locator('#audit-table tbody td.mono').allInnerTexts()).toEqual(firstPage);
    await page.close();
  });

  it('takes screenshots of every section on a 1366x768 screen', async () => {
    const tenantId = 'default';
    const token = (await h.admin('POST', `/tenants/${tenantId}/tokens`, { name: 'Okta' })).secret;
    await h.admin('POST', `/tenants/${tenantId}/tokens`, { name: 'Microsoft Entra ID' });
    await h.admin('PUT', `/tenants/${tenantId}/roles`, {
      roles: ['owner', 'admin', 'member', 'viewer'],
      defaultRole: 'viewer',
    });
    await h.admin('POST', `/tenants/${tenantId}/mappings`, {
      match: 'displayName',
      value: 'Engineering',
      role: 'admin',
    });
    await h.admin('POST', `/tenants/${tenantId}/mappings`, {
      match: 'displayName',
      value: 'Sales',
      role: 'member',
    });
    await h.admin('POST', `/tenants/${tenantId}/mappings`, {
      match: 'externalId',
      value: 'grp-founders',
      role: 'owner',
    });
    const people = [
      ['ada@example.com', 'Ada Lovelace'],
      ['grace@example.com', 'Grace Hopper'],
      ['alan@example.com', 'Alan Turing'],
      ['katherine@example.com', 'Katherine Johnson'],
      ['edsger@example.com', 'Edsger Dijkstra'],
    ];
    const ids: string[] = [];
    for (const [userName, displayName] of people) {
      ids.push(
        (await h.scim(token, 'POST', '/Users', { schemas: [USER_SCHEMA], userName, displayName })).body.id,
      );
    }
    await h.scim(token, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Engineering',
      members: [{ value: ids[0] }, { value: ids[2] }, { value: ids[4] }],
    });
    await h.scim(token, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Sales',
      members: [{ value: ids[3] }],
    });
    await h.scim(token, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Founders',
      externalId: 'grp-founders',
      members: [{ value: ids[0] }],
    });
    await h.scim(token, 'PATCH', `/Users/${ids[1]}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });

    const page = await h.openAdmin(tenantId);
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => page.locator('#mappings-table tbody tr').count(), WAIT).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings.png'), fullPage: true });
    // Nothing overflows sideways on a laptop screen.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);

    await page.getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => page.locator('#users-table tbody tr').count(), WAIT).toBeGreaterThanOrEqual(5);
    expect(await text(rowOf(page, '#users-table', 'ada@example.com'))).toContain('owner');
    await page.screenshot({ path: join(SCREENSHOTS, 'users.png'), fullPage: true });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);

    await page.getByRole('link', { name: 'Groups' }).click();
    await expect.poll(() => page.locator('#groups-table tbody tr').count(), WAIT).toBe(3);
    await page.screenshot({ path: join(SCREENSHOTS, 'groups.png'), fullPage: true });

    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => page.locator('#audit-table tbody tr').count(), WAIT).toBeGreaterThan(5);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-log.png'), fullPage: true });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);

    // Keyboard focus is visible: the focused nav link draws an outline.
    await page.getByRole('link', { name: 'Users' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await page.close();
  });
});
