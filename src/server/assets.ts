/**
 * @module
 * Static assets, all served by buildcast itself so the pages work offline and inside OBS
 * (SPEC 5): htmx from `node_modules`, the stylesheet and favicon from `public/`, the
 * compiled browser client from `dist/src/client/`, and the modules it shares with the server
 * from `dist/src/shared/` (the browser resolves the client's `../shared/x.js` imports to
 * `/assets/shared/x.js`).
 *
 * Only known names are served (client and shared modules by a strict file-name pattern), so no
 * request can reach outside those folders. Files are read once and kept in memory, each coding of
 * them made once too; a file that is missing is not remembered as missing, so building the client
 * while the server runs still works.
 *
 * The page shell (`public/dashboard.html`) is not an asset: the page routes read it once, at start,
 * through {@link loadPageShell}.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { QUERY, ROUTES } from '../shared/dom.js';
import { FAVICON_ALERT } from '../shared/paths.js';
import { markFavicon } from '../render/favicon.js';
import { parseShell, type PageShell } from '../render/page-shell.js';
import { chooseCoding, encode, etagOf, matchesEtag, MIN_COMPRESS_BYTES, type Coding } from './encoding.js';

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
function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** One coding of a file, with its tag. */
interface Representation {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** A file read once: its bytes, and each coding of it made the first time it is asked for. */
class CachedFile {
  readonly #bytes: Uint8Array;
  readonly #codings = new Map<Coding, Representation>();

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** The file in `coding`; small files always go as they are. */
  as(coding: Coding): { coding: Coding } & Representation {
    const used = this.#bytes.byteLength < MIN_COMPRESS_BYTES ? 'identity' : coding;
    let representation = this.#codings.get(used);
    if (!representation) {
      representation = { body: encode(this.#bytes, used, 'max'), etag: etagOf(this.#bytes, used) };
      this.#codings.set(used, representation);
    }
    return { coding: used, ...representation };
  }
}

/** Reads files once and keeps them; failures are not kept, so the next request tries again. */
interface AssetCache {
  /** The file, or null when it cannot be read. */
  load(file: string): Promise<CachedFile | null>;
  /** A file made in memory rather than read (the favicon with a mark on it), made once. */
  made(key: string, make: () => Promise<Uint8Array | null>): Promise<CachedFile | null>;
}

/** A fresh, empty cache. */
function createAssetCache(): AssetCache {
  const files = new Map<string, Promise<CachedFile | null>>();
  const made = (key: string, make: () => Promise<Uint8Array | null>): Promise<CachedFile | null> => {
    let pending = files.get(key);
    if (!pending) {
      pending = make().then(
        (bytes) => {
          if (bytes === null) files.delete(key);
          return bytes === null ? null : new CachedFile(bytes);
        },
        () => {
          files.delete(key);
          return null;
        },
      );
      files.set(key, pending);
    }
    return pending;
  };
  return { made, load: (file) => made(file, () => readFile(file)) };
}

/** Where htmx lives: resolved through Node's own module resolution, never a CDN. */
function resolveHtmx(): string | null {
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

/**
 * Assets keep their names across releases, so a browser keeps its copy but asks each time
 * whether it is still current (`no-cache`), and the ETag makes that answer an empty 304.
 */
const HEADERS = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * Routes: `/assets/htmx.min.js`, `/assets/styles.css`, `/assets/overlay.css`,
 * `/assets/overlay-setup.css`, `/favicon.svg` (with `?alert=failed`, the
 * same icon with a red dot), `/assets/client/<name>.js(.map)` and `/assets/shared/<name>.js(.map)`.
 * Each is compressed as the request accepts, tagged, and answered 304 when the browser's copy is current.
 */
export function createAssetRoutes({ packageRoot }: AssetOptions): Hono {
  const app = new Hono();
  const cache = createAssetCache();
  const publicDir = path.join(packageRoot, 'public');
  const clientDir = path.join(packageRoot, 'dist', 'src', 'client');
  const sharedDir = path.join(packageRoot, 'dist', 'src', 'shared');
  const faviconFile = path.join(publicDir, 'favicon.svg');

  const send = async (c: Context, pending: Promise<CachedFile | null> | null, name: string) => {
    const file = pending === null ? null : await pending;
    if (file === null) {
      return new Response('Not found', {
        status: 404,
        headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    const { coding, body, etag } = file.as(chooseCoding(c.req.header('Accept-Encoding')));
    const headers: Record<string, string> = { ...HEADERS, ETag: etag, Vary: 'Accept-Encoding' };
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
    headers['Content-Type'] = contentTypeOf(name);
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    return new Response(body, { headers });
  };
  const serve = (c: Context, file: string | null, name: string) =>
    send(c, file === null ? null : cache.load(file), name);

  app.get('/assets/htmx.min.js', (c) => serve(c, resolveHtmx(), 'htmx.min.js'));
  app.get('/assets/styles.css', (c) => serve(c, path.join(publicDir, 'styles.css'), 'styles.css'));
  for (const sheet of ['overlay.css', 'overlay-setup.css'])
    app.get(`/assets/${sheet}`, (c) => serve(c, path.join(publicDir, sheet), sheet));
  app.get(ROUTES.favicon, (c) => {
    if (c.req.query(QUERY.alert) !== FAVICON_ALERT) return serve(c, faviconFile, 'favicon.svg');
    const marked = cache.made(`${faviconFile}?${FAVICON_ALERT}`, async () => {
      const plain = await cache.load(faviconFile);
      if (plain === null) return null;
      return new TextEncoder().encode(markFavicon(new TextDecoder().decode(plain.as('identity').body)));
    });
    return send(c, marked, 'favicon.svg');
  });
  for (const [prefix, dir] of [
    ['/assets/client', clientDir],
    ['/assets/shared', sharedDir],
  ] as const) {
    app.get(`${prefix}/:file`, (c) => {
      const file = c.req.param('file');
      if (!CLIENT_FILE_PATTERN.test(file)) return serve(c, null, file);
      return serve(c, path.join(dir, file), file);
    });
  }
  return app;
}
