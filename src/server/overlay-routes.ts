/**
 * @module
 * The stream overlay's routes (SPEC 5):
 * - `GET /overlay?session=&layout=&theme=&scale=&panels=&redact=` → the whole page, its first
 *   paint rendered here so that an OBS reload shows the build at once;
 * - `GET /overlay/fragment?…` (same parameters) → its root element, which the page's client
 *   fetches again when a frame says the build changed;
 * - `GET /overlay/ws` and `/overlay/ws/:id` → its live stream, the hub's frames;
 * - `GET /overlay/setup` → the setup page, in the page shell.
 *
 * Everything the overlay is sent, page, fragment and frames alike, is redacted here when it is
 * asked for (`redact=1`), when the request came with the overlay token, and always on a server
 * bound beyond loopback.
 */
import { Hono, type Context } from 'hono';
import type { Clock } from '../shared/clock.js';
import { BACKDROP_QUERY, BACKDROPS, OVERLAY_ROUTES, type Backdrop } from '../shared/overlay-dom.js';
import { parseOverlayParams, type OverlayParams } from '../shared/overlay-params.js';
import type { Hub } from '../live/hub.js';
import { html, type SafeHtml } from '../render/html.js';
import { PAGE_CSP, renderPage } from '../render/layout.js';
import { renderOverlayPage, renderOverlayRoot } from '../render/overlay.js';
import { renderOverlaySetup } from '../render/overlay-setup.js';
import { loadPageShell } from './assets.js';
import { isOverlayProof, proofRule, type Tokens } from './auth.js';
import { isLoopback } from './config.js';
import { hubSocket, sameOrigin } from './live-routes.js';
import { overlayView, type OverlaySources } from './overlay-data.js';

export interface OverlayDeps extends OverlaySources {
  hub: Hub;
  clock: Clock;
  packageRoot: string;
  tokens: Tokens;
  /** Whether the overlay token was made at start rather than given. */
  overlayTokenGenerated?: boolean;
  /** The address the server is bound to: beyond loopback, the overlay is always redacted. */
  host: string;
}

/** Runs of the setup page's session list: enough to find a recent build, few enough to read. */
const SETUP_RUNS = 12;
const SETUP_SCAN = 200;

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-cache',
  'Content-Security-Policy': PAGE_CSP,
} as const;

const send = (c: Context, markup: SafeHtml): Response => c.body(markup.toString(), 200, HTML_HEADERS);

/** The overlay's parameters from a query, where a form repeats `panels=` once per box ticked. */
const paramsOf = (c: Context): OverlayParams => parseOverlayParams((name) => c.req.queries(name)?.join(','));

/** The setup page's choices of session: the newest build, each project, each recent run. */
function sessionChoices(deps: OverlayDeps): Array<{ value: string; label: string }> {
  const recent = deps.reader.list({ state: 'all', limit: SETUP_SCAN }).sessions;
  const projects = [...new Set(recent.map((session) => session.project))].sort();
  return [
    { value: 'latest', label: 'The newest build' },
    ...projects.map((project) => ({ value: `project:${project}`, label: `Newest build of ${project}` })),
    ...recent.slice(0, SETUP_RUNS).map((session) => ({ value: session.id, label: `Run ${session.id}` })),
  ];
}

/** Routes of the overlay; mount with `app.route('/', createOverlayRoutes(deps))`. */
export function createOverlayRoutes(deps: OverlayDeps): Hono {
  const app = new Hono();
  const shell = loadPageShell(deps.packageRoot);
  const prove = proofRule(deps.tokens);
  const offLoopback = !isLoopback(deps.host);
  const redacting = (c: Context, params: OverlayParams): boolean =>
    params.redact || offLoopback || isOverlayProof(prove(c));
  const view = (c: Context) => {
    const params = paramsOf(c);
    return overlayView(deps, params, redacting(c, params));
  };

  app.get(OVERLAY_ROUTES.page, (c) => send(c, renderOverlayPage(view(c), deps.clock.now())));
  app.get(OVERLAY_ROUTES.fragment, (c) => send(c, renderOverlayRoot(view(c), deps.clock.now())));

  const socket = hubSocket(deps, (c) => ({
    sessionId: c.req.param('id') ?? null,
    redact: redacting(c, paramsOf(c)),
  }));
  app.get(OVERLAY_ROUTES.socket, sameOrigin, socket);
  app.get(OVERLAY_ROUTES.sessionSocket, sameOrigin, socket);

  app.get(OVERLAY_ROUTES.setup, (c) => {
    const backdrop = c.req.query(BACKDROP_QUERY);
    const { overlayToken } = deps.tokens;
    const main = renderOverlaySetup({
      params: paramsOf(c),
      origin: new URL(c.req.url).origin,
      overlayToken,
      tokenGenerated: deps.overlayTokenGenerated ?? false,
      alwaysRedacted: offLoopback
        ? `buildcast is bound to ${deps.host}, beyond this machine`
        : overlayToken !== null
          ? 'the URL carries the overlay token'
          : null,
      sessions: sessionChoices(deps),
      backdrop: BACKDROPS.find((choice): choice is Backdrop => choice === backdrop) ?? 'dark',
    });
    return send(c, renderPage(shell, { title: 'Overlay setup', main: html`${main}` }));
  });

  return app;
}
