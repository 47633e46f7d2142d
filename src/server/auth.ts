/**
 * @module
 * The token rule (SPEC 7) when `--token` is set: writes (ingest, and any state-changing method)
 * need the token itself; viewing needs the token or the viewer cookie, or nothing with `--public`.
 *
 * A page opened with `?token=` keeps working through a cookie, but the cookie is not the token:
 * it is an HMAC of the token for the "viewer" scope, set only after the right token was shown.
 * So the cookie proves what its holder proved (that they knew the token when they opened a
 * page) and is good for viewing only; a stolen cookie cannot push to a build or reveal the token.
 *
 * The overlay token (`--overlay-token`) is made to be seen: it sits in the OBS Browser Source URL
 * and can end up on a stream. It opens the overlay, its assets and its live stream
 * (./overlay-scope.ts) and nothing else, and whatever it opens is redacted. Its cookie, set when
 * the overlay is opened with it, is its HMAC in the same way, so the page's modules and socket
 * load without carrying it; a new token (a restart with another) makes old cookies worthless.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { sendError } from './errors.js';
import { isIngestPath } from './guard.js';
import { isOverlayScope } from './overlay-scope.js';

/** The cookie a browser keeps after opening a page with the right `?token=`. */
const TOKEN_COOKIE = 'buildcast_token';

/** The cookie a Browser Source keeps after opening the overlay with the right overlay `?token=`. */
const OVERLAY_COOKIE = 'buildcast_overlay';

/** The viewer cookie's value for `token`: derived from it, never equal to it. */
function viewerCookieValue(token: string): string {
  return createHmac('sha256', token).update('buildcast viewer cookie v1').digest('base64url');
}

/** The overlay cookie's value for an overlay token, derived the same way for its own scope. */
function overlayCookieValue(overlayToken: string): string {
  return createHmac('sha256', overlayToken).update('buildcast overlay cookie v1').digest('base64url');
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

/** The two tokens a server may have; either may be absent. */
export interface Tokens {
  token: string | null;
  overlayToken: string | null;
}

/**
 * What a request proves: the token itself, the viewer cookie, the overlay token or the overlay
 * cookie (tried in that order, so a token shown beats a cookie held), or nothing.
 */
export type Proof = 'token' | 'viewer-cookie' | 'overlay-token' | 'overlay-cookie' | null;

/** Whether a proof is the overlay's: what it opens is redacted (SPEC 5). */
export const isOverlayProof = (proof: Proof): boolean =>
  proof === 'overlay-token' || proof === 'overlay-cookie';

/** Tells what a request proves, with the cookie values worked out once. */
export function proofRule({ token, overlayToken }: Tokens): (c: Context) => Proof {
  const viewerProof = token ? viewerCookieValue(token) : null;
  const overlayProof = overlayToken ? overlayCookieValue(overlayToken) : null;
  return (c) => {
    const shown = shownToken(c);
    if (token && sameSecret(shown, token)) return 'token';
    if (overlayToken && sameSecret(shown, overlayToken)) return 'overlay-token';
    if (viewerProof && sameSecret(getCookie(c, TOKEN_COOKIE), viewerProof)) return 'viewer-cookie';
    if (overlayProof && sameSecret(getCookie(c, OVERLAY_COOKIE), overlayProof)) return 'overlay-cookie';
    return null;
  };
}

export interface TokenRuleOptions {
  token: string;
  /** Opens the overlay and nothing else, when set. */
  overlayToken?: string | null;
  /** Viewing needs no token (`--public`). */
  publicView: boolean;
}

/** 401 `unauthorized` for a request that does not prove what it needs; sets the cookies. */
export function tokenGuard({ token, overlayToken = null, publicView }: TokenRuleOptions): MiddlewareHandler {
  const prove = proofRule({ token, overlayToken });
  const viewerProof = viewerCookieValue(token);
  return async (c, next) => {
    const proof = prove(c);
    const write = isIngestPath(c.req.path) || !SAFE_METHODS.has(c.req.method);
    const mayView =
      proof === 'token' ||
      proof === 'viewer-cookie' ||
      publicView ||
      (isOverlayProof(proof) && isOverlayScope(c.req.path));
    if (write ? proof !== 'token' : !mayView) {
      const message = isOverlayProof(proof)
        ? 'the overlay token opens the overlay only'
        : 'missing or wrong token: send "Authorization: Bearer <token>"';
      return sendError(c, 401, 'unauthorized', message);
    }
    // A page opened with the right ?token= keeps working: its fragment requests and socket carry the cookie.
    if (c.req.method === 'GET' && c.req.query('token') !== undefined) {
      if (proof === 'token')
        setCookie(c, TOKEN_COOKIE, viewerProof, { httpOnly: true, sameSite: 'Strict', path: '/' });
      if (proof === 'overlay-token' && overlayToken)
        setCookie(c, OVERLAY_COOKIE, overlayCookieValue(overlayToken), {
          httpOnly: true,
          sameSite: 'Strict',
          path: '/',
        });
    }
    await next();
  };
}
