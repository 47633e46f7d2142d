/**
 * @module
 * The Hono application: API, live streams and pages under one error handler, behind the web
 * safety rules (SPEC 7: security headers, Host and Origin checks, per-address limits, then the
 * token rule when a token is set) and with a body limit on ingest.
 */
import { Hono } from 'hono';
import type { BackfillProgress } from '../shared/protocol.js';
import type { BuildTask } from '../collector/types.js';
import { HTTPException } from 'hono/http-exception';
import { timing } from 'hono/timing';
import { ROUTES } from '../shared/dom.js';
import type { RunHistory } from '../core/run-history.js';
import { createApiRoutes, type ApiDeps } from './api.js';
import { tokenGuard } from './auth.js';
import { ApiError, sendError } from './errors.js';
import { hostGuard, originGuard, securityHeaders } from './guard.js';
import { createHistoryApi } from './history-api.js';
import { createHistoryPages } from './history-pages.js';
import { createLiveRoutes } from './live-routes.js';
import type { Telemetry } from '../core/telemetry.js';
import { createOtlpRoutes } from './otlp-routes.js';
import { createOverlayRoutes } from './overlay-routes.js';
import { createPageRoutes } from './pages.js';
import {
  DEFAULT_INGEST_RATE,
  MAX_SOCKETS_PER_ADDRESS,
  SocketCounts,
  TokenBuckets,
  ingestRateLimit,
  socketLimit,
} from './rate-limit.js';

export interface AppDeps extends ApiDeps {
  packageRoot: string;
  maxBodyBytes?: number;
  token?: string | null;
  /** Opens the stream overlay, redacted, and nothing else (`--overlay-token`). */
  overlayToken?: string | null;
  /** The overlay token was made at start, not given (the setup page says it changes at the next). */
  overlayTokenGenerated?: boolean;
  /** With a token: viewing needs none (SPEC 7 `--public`). */
  publicView?: boolean;
  /** The address the server is bound to (`--host`), one of the names a request's `Host` may carry. */
  host?: string;
  /** More names a request's `Host` may carry (`--allowed-host`). */
  allowedHosts?: readonly string[];
  /** Ingest requests per second per client address (`--rate`); 0 turns the limit off. */
  rate?: number;
  /** Open WebSocket and SSE streams per client address. */
  maxSocketsPerAddress?: number;
  /** Builder's parallel tasks of a session, for the plan on the pages. */
  tasks?: (sessionId: string) => BuildTask[] | null;
  /** Progress of the first read of Claude Code history, for the pages. */
  backfill?: () => BackfillProgress | null;
  /** OpenTelemetry from Claude Code (`/v1/logs`, `/v1/metrics`). */
  telemetry: Telemetry;
  /** Problems worth a line in the server log (OTLP bodies with rejected records). */
  log?: (line: string) => void;
  /** Comparison, forecasts, exports, totals and deletion (the history pages and their API). */
  history: RunHistory;
}

export function createApp(deps: AppDeps): Hono {
  const {
    maxBodyBytes = 256 * 1024,
    token = null,
    overlayToken = null,
    publicView = false,
    host = '127.0.0.1',
    allowedHosts = [],
    rate = DEFAULT_INGEST_RATE,
    maxSocketsPerAddress = MAX_SOCKETS_PER_ADDRESS,
  } = deps;
  const app = new Hono();

  // Outermost, so that every answer (refusals, errors and 404s included) carries the headers.
  app.use('*', securityHeaders());
  app.use('*', hostGuard({ boundHost: host, allowedHosts }));
  app.use('*', originGuard(allowedHosts));
  app.use('*', socketLimit(new SocketCounts(maxSocketsPerAddress)));
  if (rate > 0) app.use('*', ingestRateLimit(new TokenBuckets({ perSecond: rate, clock: deps.clock })));
  if (token) app.use('*', tokenGuard({ token, overlayToken, publicView }));

  // The history's listings are measured where they are served (`Server-Timing`, read by the bench).
  for (const route of ['/api/sessions', ROUTES.apiCompare, '/api/totals', ROUTES.history, ROUTES.compare])
    app.use(route, timing({ crossOrigin: false }));
  const find = (id: string) => deps.registry.get(id) ?? deps.registry.latestOfProject(id);
  app.route('/api', createApiRoutes({ ...deps, maxBodyBytes, forecast: (s) => deps.history.forecast(s) }));
  app.route(
    '/api',
    createHistoryApi({ history: deps.history, find, metrics: (id) => deps.metrics.metrics(id) }),
  );
  app.route('/v1', createOtlpRoutes({ telemetry: deps.telemetry, log: deps.log, maxBodyBytes }));
  app.route('/', createLiveRoutes(deps));
  // What the pages and the overlay read of a session, the same for both.
  const sources = {
    reader: deps.registry,
    clock: deps.clock,
    packageRoot: deps.packageRoot,
    metrics: (id: string) => deps.metrics.metrics(id),
    agents: (id: string) => deps.agents.agents(id),
    logs: (id: string, limit: number) => deps.logs.tail(id, limit),
    ...(deps.tasks ? { tasks: deps.tasks } : {}),
  };
  app.route(
    '/',
    createOverlayRoutes({
      ...sources,
      hub: deps.hub,
      tokens: { token, overlayToken },
      overlayTokenGenerated: deps.overlayTokenGenerated ?? false,
      host,
    }),
  );
  app.route('/', createPageRoutes({ ...sources, ...(deps.backfill ? { backfill: deps.backfill } : {}) }));

  app.route(
    '/',
    createHistoryPages({
      history: deps.history,
      reader: deps.registry,
      clock: deps.clock,
      packageRoot: deps.packageRoot,
      tokenRequired: token !== null,
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
