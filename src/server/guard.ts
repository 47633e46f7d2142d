/**
 * @module
 * The web-safety rules every request passes before any route (SPEC 7), as Hono middleware:
 *
 * - **Host** (DNS rebinding): a page on a name its owner points at 127.0.0.1 reaches buildcast with
 *   that name in `Host`, so only names that cannot be someone else's are answered: the bound
 *   address, `localhost`, `127.0.0.1`, `[::1]` and the `--allowed-host` names, with any port.
 *   Bound to every interface (`0.0.0.0`, `::`), the machine's own addresses cannot be known in
 *   general, so any IP literal is accepted then: a rebinding attack needs a name, never an address.
 * - **Origin** (cross-site writes): a browser sends a cross-site `text/plain` POST without asking
 *   first, so a state-changing request that says it comes from another site (`Sec-Fetch-Site:
 *   cross-site`, or an `Origin` that is neither this request's own `Host` nor an allowed host) is
 *   refused. A request with neither header, as curl and build scripts send it, is not from a page.
 * - **Headers** on every answer: no referrer, no content sniffing, and no framing except for the
 *   pages in {@link FRAMEABLE_PATHS}.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { sendError } from './errors.js';

/** The ingest routes: builds push here, so they carry the token rule for writes and the rate limit. */
export function isIngestPath(path: string): boolean {
  return INGEST.test(path);
}

const INGEST = /^\/(api\/(phase-update|broadcast\/|agent-update)|v1\/)/;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

const EVERY_INTERFACE: ReadonlySet<string> = new Set(['', '0.0.0.0', '[::]', '[0:0:0:0:0:0:0:0]']);

/**
 * The name a host is known by in a `Host` header: lower-case, without a trailing dot, IPv6 in
 * brackets. `[::1]`, `::1` and `LocalHost.` become `[::1]`, `[::1]` and `localhost`.
 */
export function normalizeHostName(name: string): string {
  const lower = name.trim().toLowerCase();
  if (isIPv6(lower)) return `[${lower}]`;
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** The name in a `Host` header (its port dropped), normalized; null when the header is malformed. */
function hostNameOf(header: string): string | null {
  const text = header.trim().toLowerCase();
  let name = text;
  let port = '';
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1 || !isIPv6(text.slice(1, close))) return null;
    name = text.slice(0, close + 1);
    port = text.slice(close + 1);
  } else {
    const colon = text.indexOf(':');
    if (colon !== -1) {
      name = text.slice(0, colon);
      port = text.slice(colon);
    }
  }
  if (port !== '' && !/^:\d{1,5}$/.test(port)) return null;
  const normalized = normalizeHostName(name);
  return normalized === '' ? null : normalized;
}

function isIpLiteral(name: string): boolean {
  return isIPv4(name) || (name.startsWith('[') && isIPv6(name.slice(1, -1)));
}

export interface HostRuleOptions {
  /** The address buildcast is bound to (`--host`). */
  boundHost: string;
  /** Names given with `--allowed-host`. */
  allowedHosts: readonly string[];
}

/** Whether a request naming `header` in its `Host` is answered (see the module notes). */
export function hostRule({
  boundHost,
  allowedHosts,
}: HostRuleOptions): (header: string | undefined) => boolean {
  const bound = normalizeHostName(boundHost);
  const names = new Set<string>([...LOOPBACK_NAMES, bound, ...allowedHosts.map(normalizeHostName)]);
  const anyAddress = EVERY_INTERFACE.has(bound);
  return (header) => {
    if (header === undefined) return false;
    const name = hostNameOf(header);
    return name !== null && (names.has(name) || (anyAddress && isIpLiteral(name)));
  };
}

/** 403 `forbidden_host` for a request whose `Host` is not one of buildcast's own names. */
export function hostGuard(options: HostRuleOptions): MiddlewareHandler {
  const allowed = hostRule(options);
  return async (c, next) => {
    const host = c.req.header('host');
    if (!allowed(host)) {
      return sendError(
        c,
        403,
        'forbidden_host',
        `this server does not answer to the host "${host ?? ''}"; start it with --allowed-host NAME to add a name`,
      );
    }
    await next();
  };
}

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why a state-changing request from a page elsewhere is refused, or null when it is not refused. */
function foreignWrite(c: Context, allowedHosts: ReadonlySet<string>): string | null {
  if (c.req.header('sec-fetch-site') === 'cross-site')
    return 'a page on another site may not change anything here';
  const origin = c.req.header('origin');
  if (origin === undefined) return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `a page with the origin "${origin}" may not change anything here`;
  }
  if (url.host === c.req.header('host')?.toLowerCase()) return null;
  if (allowedHosts.has(normalizeHostName(url.hostname))) return null;
  return `a page on ${origin} may not change anything here`;
}

/** 403 `forbidden_origin` for a POST, PUT, PATCH or DELETE sent by a page on another site. */
export function originGuard(allowedHosts: readonly string[]): MiddlewareHandler {
  const names: ReadonlySet<string> = new Set(allowedHosts.map(normalizeHostName));
  return async (c, next) => {
    if (WRITE_METHODS.has(c.req.method)) {
      const problem = foreignWrite(c, names);
      if (problem !== null) return sendError(c, 403, 'forbidden_origin', problem);
    }
    await next();
  };
}

/**
 * Pages made to be shown inside other pages: the stream overlay (SPEC 5), so stream tools can
 * embed it. Only these may be framed; every other answer refuses framing.
 */
const FRAMEABLE_PATHS: ReadonlySet<string> = new Set(['/overlay']);

/** For answers that carry no policy of their own (JSON, assets, errors): nothing may load from them. */
const BARE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `csp` with its `frame-ancestors` set by buildcast's framing rule rather than by the route. */
function withFrameRule(csp: string, frameable: boolean): string {
  const directives = csp
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^frame-ancestors(\s|$)/i.test(directive));
  if (!frameable) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/**
 * Sets the security headers on every answer, whichever route (or error handler) made it: pages
 * keep their own CSP with the framing rule applied, everything else gets {@link BARE_CSP}.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('X-Content-Type-Options', 'nosniff');
    const frameable = FRAMEABLE_PATHS.has(c.req.path);
    const csp = headers.get('content-security-policy');
    headers.set(
      'Content-Security-Policy',
      csp === null && !frameable ? BARE_CSP : withFrameRule(csp ?? BARE_CSP, frameable),
    );
    if (frameable) headers.delete('X-Frame-Options');
    else headers.set('X-Frame-Options', 'DENY');
  };
}
