/**
 * @module
 * The token rule (SPEC 7) when `--token` is set: writes (ingest, and any state-changing method)
 * need the token itself; viewing needs the token or the viewer cookie, or nothing with `--public`.
 *
 * A page opened with `?token=` keeps working through a cookie, but the cookie is not the token:
 * it is an HMAC of the token for the "viewer" scope, set only after the right token was shown.
 * So the cookie proves what its holder proved (that they knew the token when they opened a
 * page) and is good for viewing only; a stolen cookie cannot push to a build or reveal the token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { sendError } from './errors.js';
import { isIngestPath } from './guard.js';

/** The cookie a browser keeps after opening a page with the right `?token=`. */
export const TOKEN_COOKIE = 'buildcast_token';

/** The viewer cookie's value for `token`: derived from it, never equal to it. */
export function viewerCookieValue(token: string): string {
  return createHmac('sha256', token).update('buildcast viewer cookie v1').digest('base64url');
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The token a request shows itself: a bearer header, or `?token=` (for sockets and first visits). */
function shownToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return c.req.query('token');
}

/** Compares without leaking, through timing, how much of a guess was right. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface TokenRuleOptions {
  token: string;
  /** Viewing needs no token (`--public`). */
  publicView: boolean;
}

/** 401 `unauthorized` for a request that does not prove what it needs; sets the viewer cookie. */
export function tokenGuard({ token, publicView }: TokenRuleOptions): MiddlewareHandler {
  const viewerProof = viewerCookieValue(token);
  return async (c, next) => {
    const proved = sameSecret(shownToken(c), token);
    const write = isIngestPath(c.req.path) || !SAFE_METHODS.has(c.req.method);
    const mayView = proved || publicView || sameSecret(getCookie(c, TOKEN_COOKIE), viewerProof);
    if (write ? !proved : !mayView) {
      return sendError(
        c,
        401,
        'unauthorized',
        'missing or wrong token: send "Authorization: Bearer <token>"',
      );
    }
    // A page opened with the right ?token= keeps working: its fragment requests and socket carry the cookie.
    if (proved && c.req.method === 'GET' && c.req.query('token') !== undefined) {
      setCookie(c, TOKEN_COOKIE, viewerProof, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    await next();
  };
}
