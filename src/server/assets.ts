/**
 * @module
 * Static assets, all served by buildcast itself so the pages work offline and inside OBS
 * (SPEC 5): htmx from `node_modules`, the stylesheet and favicon from `public/`, the
 * compiled browser client from `dist/src/client/`, and the modules it shares with the server
 * from `dist/src/shared/` (the browser resolves the client's `../shared/x.js` imports to
 * `/assets/shared/x.js`).
 *
 * Only known names are served (client and shared modules by a strict file-name pattern), so no
 * request can reach outside those folders. Files are read once and kept in memory; a file that is missing
 * is not remembered as missing, so building the client while the server runs still works.
 *
 * The page shell (`public/dashboard.html`) is not an asset: the page routes read it once, at start,
 * through {@link loadPageShell}.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import { parseShell, type PageShell } from '../render/page-shell.js';

/** Client and shared files are flat kebab-case modules and their source maps. */
export const CLIENT_FILE_PATTERN = /^[a-z0-9-]+\.js(\.map)?$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

/** The content type for a file name, by extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** Reads files once and keeps them; failures are not kept, so the next request tries again. */
interface AssetCache {
  /** The file's bytes, or null when it cannot be read. */
  load(file: string): Promise<Uint8Array<ArrayBuffer> | null>;
}

/** A fresh, empty cache. */
function createAssetCache(): AssetCache {
  const files = new Map<string, Promise<Uint8Array<ArrayBuffer> | null>>();
  return {
    load(file) {
      let pending = files.get(file);
      if (!pending) {
        // Copied once into a plain Uint8Array so every response can send it as is.
        pending = readFile(file).then(
          (bytes) => new Uint8Array(bytes),
          () => {
            files.delete(file);
            return null;
          },
        );
        files.set(file, pending);
      }
      return pending;
    },
  };
}

/** Where htmx lives: resolved through Node's own module resolution, never a CDN. */
export function resolveHtmx(): string | null {
  try {
    return createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');
  } catch {
    return null;
  }
}

export interface AssetOptions {
  /** The folder holding package.json, `public/` and `dist/`. */
  packageRoot: string;
}

/**
 * The page shell of an install, parsed. Throws, naming the file and what is wrong with it, when
 * it cannot be read or lacks a slot: buildcast's own file is broken, and no page can be drawn.
 */
export function loadPageShell(packageRoot: string): PageShell {
  const file = path.join(packageRoot, 'public', 'dashboard.html');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the page shell ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseShell(text);
  if (!parsed.ok) throw new Error(`the page shell ${file} ${parsed.problem}`);
  return parsed.shell;
}

const HEADERS = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * Routes: `/assets/htmx.min.js`, `/assets/styles.css`, `/assets/overlay.css`,
 * `/assets/overlay-setup.css`, `/favicon.svg`,
 * `/assets/client/<name>.js(.map)` and `/assets/shared/<name>.js(.map)`.
 */
export function createAssetRoutes({ packageRoot }: AssetOptions): Hono {
  const app = new Hono();
  const cache = createAssetCache();
  const publicDir = path.join(packageRoot, 'public');
  const clientDir = path.join(packageRoot, 'dist', 'src', 'client');
  const sharedDir = path.join(packageRoot, 'dist', 'src', 'shared');

  const serve = async (file: string | null, name: string): Promise<Response> => {
    const bytes = file === null ? null : await cache.load(file);
    if (bytes === null) {
      return new Response('Not found', {
        status: 404,
        headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    return new Response(bytes, { headers: { ...HEADERS, 'Content-Type': contentTypeOf(name) } });
  };

  app.get('/assets/htmx.min.js', () => serve(resolveHtmx(), 'htmx.min.js'));
  app.get('/assets/styles.css', () => serve(path.join(publicDir, 'styles.css'), 'styles.css'));
  for (const sheet of ['overlay.css', 'overlay-setup.css'])
    app.get(`/assets/${sheet}`, () => serve(path.join(publicDir, sheet), sheet));
  app.get('/favicon.svg', () => serve(path.join(publicDir, 'favicon.svg'), 'favicon.svg'));
  for (const [prefix, dir] of [
    ['/assets/client', clientDir],
    ['/assets/shared', sharedDir],
  ] as const) {
    app.get(`${prefix}/:file`, (c) => {
      const file = c.req.param('file');
      if (!CLIENT_FILE_PATTERN.test(file)) return serve(null, file);
      return serve(path.join(dir, file), file);
    });
  }
  return app;
}
