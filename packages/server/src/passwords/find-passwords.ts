const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:user';
const PASSWORD = 'password';
const URN_PASSWORD = `${CORE_USER}:${PASSWORD}`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `password` or `urn:…:core:2.0:User:password`, in any case (what core accepts as a key or a path). */
function namesPassword(key: string): boolean {
  const lower = key.trim().toLowerCase();
  return lower === PASSWORD || lower === URN_PASSWORD;
}

/** Plaintexts of a User-shaped object: `password`, the URN-qualified key, or under the core URN key. */
function fromUserObject(value: Record<string, unknown>, into: Set<string>): void {
  for (const [key, item] of Object.entries(value)) {
    if (namesPassword(key)) {
      if (typeof item === 'string') into.add(item);
    } else if (key.trim().toLowerCase() === CORE_USER && isObject(item)) {
      for (const [inner, password] of Object.entries(item)) {
        if (inner.trim().toLowerCase() === PASSWORD && typeof password === 'string') into.add(password);
      }
    }
  }
}

/**
 * The plaintext passwords a POST or PUT body of a User carries: the top-level `password` (any
 * case), the URN-qualified `urn:ietf:params:scim:schemas:core:2.0:User:password` key, or `password`
 * inside an object under the core User URN key. Values that are not strings are left to validation
 * (which rejects them).
 *
 * @example
 * passwordsInResource({ schemas: [USER], userName: 'a', Password: 's3cret' }); // ['s3cret']
 */
export function passwordsInResource(body: unknown): string[] {
  const found = new Set<string>();
  if (isObject(body)) fromUserObject(body, found);
  return [...found];
}

/**
 * The plaintext passwords a PATCH body of a User sets: `add`/`replace` operations (op in any case)
 * whose path names `password` (plain or URN-qualified, any case), and operations without a path
 * whose value object holds such a key (Okta's and Entra's no-path form, including Entra's
 * URN-prefixed keys).
 *
 * @example
 * passwordsInPatch({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'PASSWORD', value: 'n3w' }] }); // ['n3w']
 */
export function passwordsInPatch(body: unknown): string[] {
  const found = new Set<string>();
  if (!isObject(body)) return [];
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations)) return [];
  for (const operation of operations) {
    if (!isObject(operation)) continue;
    const op = typeof operation.op === 'string' ? operation.op.trim().toLowerCase() : '';
    if (op !== 'add' && op !== 'replace') continue;
    const { path, value } = operation;
    if (typeof path === 'string' && path.trim() !== '') {
      if (namesPassword(path) && typeof value === 'string') found.add(value);
    } else if (isObject(value)) {
      fromUserObject(value, found);
    }
  }
  return [...found];
}

/**
 * The plaintext passwords of every User write in a /Bulk request body (POST and PUT data, PATCH
 * operations), so that they can be hashed before the operations' shared transactions begin.
 * `isUserEndpoint` tells whether an operation's first path segment (`Users`) addresses Users.
 */
export function passwordsInBulk(body: unknown, isUserEndpoint: (segment: string) => boolean): string[] {
  const found = new Set<string>();
  if (!isObject(body)) return [];
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations)) return [];
  for (const operation of operations) {
    if (!isObject(operation) || typeof operation.path !== 'string' || typeof operation.method !== 'string')
      continue;
    const first = operation.path.split('/').find((segment) => segment !== '');
    if (first === undefined || !isUserEndpoint(first)) continue;
    const method = operation.method.toUpperCase();
    const passwords =
      method === 'POST' || method === 'PUT'
        ? passwordsInResource(operation.data)
        : method === 'PATCH'
          ? passwordsInPatch(operation.data)
          : [];
    for (const password of passwords) found.add(password);
  }
  return [...found];
}
