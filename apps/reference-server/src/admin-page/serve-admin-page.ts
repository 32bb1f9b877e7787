import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The page's files, by URL path under the mount point. Nothing else in the folder is served. */
const FILES: Record<string, { file: string; type: string }> = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** Strict headers: the page loads only its own script and style and calls only its own origin. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const;

/** Options of {@link createAdminPage}. */
export interface AdminPageOptions {
  /** Where the page is served. @default '/admin' */
  basePath?: string;
  /** The folder holding index.html, app.js and app.css. @default this module's folder */
  directory?: URL;
}

/**
 * Serves the settings page (static HTML, vanilla JS and CSS, no build step) at `/admin`. Resolves
 * `false` for paths it does not own, including `/admin/api/...`.
 *
 * @example
 * const page = createAdminPage();
 * http.createServer(async (req, res) => { if (!(await page(req, res))) res.end(); });
 */
export function createAdminPage(
  options: AdminPageOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const basePath = options.basePath ?? '/admin';
  const directory = options.directory ?? new URL('./', import.meta.url);
  const cache = new Map<string, Buffer>();
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return false;
    const entry = FILES[path.slice(basePath.length)];
    if (!entry) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return true;
    }
    let content = cache.get(entry.file);
    if (!content) {
      content = await readFile(new URL(entry.file, directory));
      cache.set(entry.file, content);
    }
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'content-type': entry.type,
      'content-length': String(content.length),
    });
    res.end(req.method === 'HEAD' ? undefined : content);
    return true;
  };
}
