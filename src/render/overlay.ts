/**
 * @module
 * The stream overlay (SPEC 5), rendered whole by the server so that OBS, which reloads a Browser
 * Source whenever a scene comes back, shows the build's state in its very first paint. The page
 * is its own small document rather than the page shell: no header, no htmx, a transparent
 * background, a fixed size per layout (public/overlay.css), and one script that keeps it live
 * (src/client/overlay.ts). {@link renderOverlayRoot} is also the fragment that script fetches.
 * Pure: everything it draws is given, already redacted when the overlay is.
 */
import type { Agent, LogLine, Session } from '../shared/protocol.js';
import type { TestIteration } from '../shared/metrics.js';
import { DATA } from '../shared/dom.js';
import { OVERLAY_DATA, OVERLAY_IDS, OVERLAY_ROUTES } from '../shared/overlay-dom.js';
import { scaleClass, type OverlayParams, type OverlayPanel } from '../shared/overlay-params.js';
import { stateBadge } from './card.js';
import { classes, html, type SafeHtml } from './html.js';
import {
  agentsPanel,
  costPanel,
  LOG_LINES,
  logPanel,
  phasePanel,
  pipelinePanel,
  testsMark,
  testsPanel,
  tokensPanel,
} from './overlay-panels.js';
import type { PlannedPhase } from './planned-phase.js';
import { elapsed, freshStamp } from './stamps.js';

/** Everything the overlay draws. */
export interface OverlayView {
  params: OverlayParams;
  /** The session it follows, or null while there is none. */
  session: Session | null;
  plan: readonly PlannedPhase[];
  /** The latest test iteration with results. */
  tests: TestIteration | null;
  agents: readonly Agent[];
  /** The newest log lines, oldest first. */
  logs: readonly LogLine[];
}

/** What the overlay is waiting for, in words, while there is nothing to show. */
function waitingFor(params: OverlayParams): string {
  switch (params.session.kind) {
    case 'latest':
      return 'Waiting for a build…';
    case 'project':
      return `Waiting for a build of ${params.session.project}…`;
    case 'id':
      return `Waiting for ${params.session.id}…`;
  }
}

function panel(view: OverlayView, session: Session, name: OverlayPanel): SafeHtml | null {
  const { layout } = view.params;
  switch (name) {
    case 'phase':
      return phasePanel(session);
    case 'pipeline':
      return pipelinePanel(view.plan, session, layout === 'full');
    case 'tests':
      return testsPanel(view.tests, session.testIteration);
    case 'tokens':
      return tokensPanel(session);
    case 'cost':
      return costPanel(session);
    case 'agents':
      return agentsPanel(view.agents, layout === 'full');
    case 'log':
      return logPanel(view.logs, LOG_LINES[layout]);
  }
}

/** Panels that sit together in one row of figures; the others have a row of their own. */
const FIGURES: ReadonlySet<OverlayPanel> = new Set(['tests', 'tokens', 'cost']);

function card(view: OverlayView, session: Session, now: number): SafeHtml {
  const shown = view.params.panels;
  const figures = shown.filter((name) => FIGURES.has(name)).map((name) => panel(view, session, name));
  const rows = shown
    .filter((name) => !FIGURES.has(name) && name !== 'log')
    .map((name) => panel(view, session, name));
  return html`<div class="ov-card">
    <div class="ov-head">
      <span class="ov-project">${session.project}</span>
      ${stateBadge(session.state)} ${elapsed(session.startedAt, session.endedAt, now)}
    </div>
    ${rows} ${figures.length > 0 && html`<div class="ov-figures">${figures}</div>`}
    ${shown.includes('log') && panel(view, session, 'log')}
    <div class="ov-foot">${freshStamp(session.updatedAt, now)}</div>
  </div>`;
}

/**
 * The overlay's root element with everything in it: the first paint and, fetched again, each
 * update. Its data attributes tell the client which frames concern it and which moment to play.
 */
export function renderOverlayRoot(view: OverlayView, now: number): SafeHtml {
  const { session, params } = view;
  const follow = params.session.kind;
  if (session === null) {
    // An id may name a project, whose builds the overlay then follows (as the session pages do).
    const project =
      params.session.kind === 'project'
        ? params.session.project
        : params.session.kind === 'id'
          ? params.session.id
          : null;
    return html`<div
      id="${OVERLAY_IDS.root}"
      class="ov ov-empty"
      ${OVERLAY_DATA.follow}="${follow}"
      ${project !== null && html`${OVERLAY_DATA.project}="${project}"`}
      ${params.session.kind === 'id' && html`${OVERLAY_DATA.sessionId}="${params.session.id}"`}
    >
      <div class="ov-card ov-waiting">
        <span class="ov-project">buildcast</span><span class="ov-detail">${waitingFor(params)}</span>
      </div>
    </div>`;
  }
  return html`<div
    id="${OVERLAY_IDS.root}"
    class="${classes('ov', `ov-${session.state}`)}"
    ${OVERLAY_DATA.follow}="${follow}"
    ${OVERLAY_DATA.sessionId}="${session.id}"
    ${OVERLAY_DATA.project}="${session.project}"
    ${OVERLAY_DATA.startedAt}="${session.startedAt}"
    ${OVERLAY_DATA.state}="${session.state}"
    ${OVERLAY_DATA.phase}="${session.currentPhase ?? ''}"
    ${OVERLAY_DATA.tests}="${testsMark(view.tests)}"
  >
    ${card(view, session, now)}
  </div>`;
}

/**
 * The whole overlay page. It is never clicked, so it has no links; the script is a module, so it
 * runs after the first paint and never holds it up.
 */
export function renderOverlayPage(view: OverlayView, now: number): SafeHtml {
  const { params, session } = view;
  const title = session === null ? 'buildcast overlay' : `${session.project} · buildcast overlay`;
  return html`<!doctype html>
    <html lang="en" class="overlay-doc">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="${OVERLAY_ROUTES.stylesheet}" />
        <script type="module" src="${OVERLAY_ROUTES.script}"></script>
      </head>
      <body
        class="${classes(
          'overlay',
          `layout-${params.layout}`,
          `theme-${params.theme}`,
          scaleClass(params.scale),
        )}"
        ${DATA.conn}="connecting"
      >
        ${renderOverlayRoot(view, now)}
      </body>
    </html>`;
}
