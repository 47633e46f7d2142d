/**
 * @module
 * The Hono application: API, live streams and pages under one error handler, a body limit on
 * ingest, and the token rule (SPEC 7) when a token is set.
 */
import { Hono } from 'hono';
import type { Context, Next } from 'hono';
import type { BackfillProgress } from '../shared/protocol.js';
import type { BuildTask } from '../collector/side-files.js';
import { timingSafeEqual } from 'node:crypto';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { createApiRoutes, type ApiDeps } from './api.js';
import { ApiError, sendError } from './errors.js';
import { createLiveRoutes } from './live-routes.js';
import { createOtlpRoutes } from './otlp-routes.js';
import { createPageRoutes } from './pages.js';

export interface AppDeps extends ApiDeps {
  packageRoot: string;
  maxBodyBytes?: number;
  token?: string | null;
  /** With a token: viewing needs none (SPEC 7 `--public`). */
  publicView?: boolean;
  /** Builder's parallel tasks of a session, for the plan on the pages. */
  tasks?: (sessionId: string) => BuildTask[] | null;
  /** Progress of the first read of Claude Code history, for the pages. */
  backfill?: () => BackfillProgress | null;
}

const INGEST = /^\/(api\/(phase-update|broadcast\/|agent-update)|v1\/)/;

const TOKEN_COOKIE = 'buildcast_token';

/** The token a request carries: a bearer header, a `?token=` (for sockets and first visits), or the cookie. */
function tokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return c.req.query('token') ?? getCookie(c, TOKEN_COOKIE);
}

/** Compares without leaking, through timing, how much of a guess was right. */
function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createApp(deps: AppDeps): Hono {
  const { maxBodyBytes = 256 * 1024, token = null, publicView = false } = deps;
  const app = new Hono();

  if (token) {
    app.use('*', async (c: Context, next: Next) => {
      const ingest = INGEST.test(c.req.path);
      if ((ingest || !publicView) && !sameToken(tokenOf(c), token)) {
        return sendError(
          c,
          401,
          'unauthorized',
          'missing or wrong token: send "Authorization: Bearer <token>"',
        );
      }
      // A page opened with ?token= keeps working: its fragment requests and socket carry the cookie.
      if (c.req.query('token') !== undefined && c.req.method === 'GET') {
        setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      }
      return next();
    });
  }

  app.route('/api', createApiRoutes({ ...deps, maxBodyBytes }));
  app.route('/v1', createOtlpRoutes({ ...deps, maxBodyBytes }));
  app.route('/', createLiveRoutes(deps));
  app.route(
    '/',
    createPageRoutes({
      reader: deps.registry,
      clock: deps.clock,
      packageRoot: deps.packageRoot,
      metrics: (id) => deps.metrics.metrics(id),
      agents: (id) => deps.agents.agents(id),
      logs: (id, limit) => deps.logs.tail(id, limit),
      ...(deps.tasks ? { tasks: deps.tasks } : {}),
      ...(deps.backfill ? { backfill: deps.backfill } : {}),
    }),
  );

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/v1/')) {
      return sendError(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`);
    }
    return c.text('Not found', 404);
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return sendError(c, error.status, error.code, error.message);
    if (error instanceof HTTPException) {
      const status = error.status;
      return sendError(c, status, status === 413 ? 'payload_too_large' : 'bad_fields', error.message);
    }
    console.error(`buildcast: ${c.req.method} ${c.req.path} failed:`, error);
    return sendError(c, 500, 'internal', 'internal error; the server log says more');
  });

  return app;
}
