/** Sequential client workloads (W5 paging, W6 bulk import), timed in this process. */

interface Target {
  url: string;
  prefix: string;
  token?: string;
}

function headers(target: Target): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/scim+json' };
  if (target.token) h.authorization = `Bearer ${target.token}`;
  return h;
}

/** What paging through the users took: seconds, and the share of users reached (1 when complete). */
export interface PagingResult {
  seconds: number;
  covered: number;
}

/**
 * Pages through every user by index or by cursor, for at most `limitSeconds`: index paging with
 * OFFSET is quadratic, so at a million users it may not finish, and then the share reached is the
 * figure to compare.
 */
export async function pageThrough(
  target: Target,
  mode: 'index' | 'cursor',
  count: number,
  limitSeconds = 120,
): Promise<PagingResult> {
  const started = performance.now();
  const deadline = started + limitSeconds * 1000;
  let seen = 0;
  let total = 0;
  let startIndex = 1;
  let cursor: string | undefined = '';
  for (;;) {
    const query =
      mode === 'index'
        ? `startIndex=${startIndex}&count=${count}`
        : `cursor=${encodeURIComponent(cursor ?? '')}&count=${count}`;
    const response = await fetch(`${target.url}${target.prefix}/Users?${query}`, {
      headers: headers(target),
    });
    if (!response.ok)
      throw new Error(`paging by ${mode} failed: HTTP ${response.status} ${await response.text()}`);
    const page = (await response.json()) as {
      Resources?: unknown[];
      totalResults: number;
      nextCursor?: string;
    };
    const n = page.Resources?.length ?? 0;
    seen += n;
    total = page.totalResults;
    if (mode === 'index') {
      startIndex += n;
      if (n === 0 || startIndex > page.totalResults) break;
    } else {
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    if (performance.now() > deadline) {
      return { seconds: (performance.now() - started) / 1000, covered: total > 0 ? seen / total : 0 };
    }
  }
  return { seconds: (performance.now() - started) / 1000, covered: 1 };
}

/** Imports `users` new users through /Bulk in requests of `perRequest` operations; returns seconds. */
export async function bulkImport(target: Target, users: number, perRequest: number): Promise<number> {
  const started = performance.now();
  const run = Date.now().toString(36);
  for (let offset = 0; offset < users; offset += perRequest) {
    const Operations = [];
    for (let i = offset; i < Math.min(users, offset + perRequest); i++) {
      const userName = `bulk.${run}.${i}@example.com`;
      Operations.push({
        method: 'POST',
        path: '/Users',
        bulkId: `u${i}`,
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName,
          name: { givenName: 'Bulk', familyName: `User ${i}` },
          emails: [{ value: userName, type: 'work', primary: true }],
          active: true,
        },
      });
    }
    const response = await fetch(`${target.url}${target.prefix}/Bulk`, {
      method: 'POST',
      headers: headers(target),
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        failOnErrors: 1,
        Operations,
      }),
    });
    if (!response.ok)
      throw new Error(
        `bulk import failed at ${offset}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`,
      );
    const body = (await response.json()) as { Operations: { status: string }[] };
    const failed = body.Operations.filter((op) => !String(op.status).startsWith('2'));
    if (failed.length > 0)
      throw new Error(
        `bulk import: ${failed.length} operations failed at ${offset}: ${JSON.stringify(failed[0])}`,
      );
  }
  return (performance.now() - started) / 1000;
}
