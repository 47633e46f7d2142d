/**
 * @module
 * The HTML side of buildcast (SPEC 5): the dashboard shell, session pages (`/sessions/:id`, where
 * a project's name opens its latest run), the fragments htmx swaps into them, and the static
 * assets they need. Every page and fragment goes compressed when the browser accepts it.
 *
 * Fragments and the events that refresh them (fired by the browser client, src/client/):
 * - `GET /fragments/tabs?tab=` → `<nav id="tabs">`, refreshed on `bc:list` / `bc:tabs` (from body);
 * - `GET /fragments/sessions?tab=` → `<section id="session-list">`, refreshed on `bc:list` (from body);
 *   with `&tabs=1` it also carries the tab bar out of band (a tab click updates both at once);
 *   with `&cursor=` it is the next page of cards, swapped in place of the "Show more" button;
 * - `GET /fragments/cards/:id` → `<article id="card-<id>">`, refreshed on `bc:session` fired at it;
 * - `GET /fragments/sessions/:id/detail` → `<div id="session-detail">`, refreshed on `bc:detail`;
 * - `GET /fragments/sessions/:id/metrics` → `<section id="session-metrics">` (inside the detail),
 *   refreshed on `bc:metrics` when a `metrics` frame for that session arrives;
 * - `GET /fragments/sessions/:id/agents` → `<section id="agents">`, refreshed on `bc:agents` when an
 *   `agent` frame for that session arrives;
 * - `GET /fragments/sessions/:id/logs` → `<ol id="log-lines">` (the lines of `#log-tail`), refreshed
 *   on `bc:logs` after a reconnect; between those the client appends lines from `log` frames;
 * - `GET /fragments/backfill` → `<div id="backfill">`, the history-reading banner, refreshed on
 *   `bc:backfill` after a reconnect (between those, `backfill` frames update it in place).
 */
import { Hono, type Context } from 'hono';
import type { Clock } from '../shared/clock.js';
import { QUERY, ROUTES } from '../shared/dom.js';
import type { Agent, BackfillProgress, LogLine, Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import { parseTab } from '../shared/tabs.js';
import type { BuildTask } from '../collector/types.js';
import { canonicalPhase } from '../core/phases.js';
import { buildPlan, isOptionalPhase } from '../core/plan.js';
import type { SessionReader } from '../core/session-query.js';
import { createAssetRoutes, loadPageShell } from './assets.js';
import { encodeFresh } from './encoding.js';
import { html, type SafeHtml } from '../render/html.js';
import { renderBackfill } from '../render/backfill.js';
import { renderAgentsPanel } from '../render/agents.js';
import { renderCard, type CardData } from '../render/card.js';
import { renderMoreCards, renderSessionList, renderTabs } from '../render/dashboard.js';
import { renderMetricsSection } from '../render/metrics.js';
import { PAGE_CSP, renderDashboardPage, renderNotFoundPage } from '../render/layout.js';
import { LOG_TAIL_LINES, renderLogLines } from '../render/log-tail.js';
import type { PlannedPhase } from '../render/planned-phase.js';
import { renderSessionDetail, renderSessionPage } from '../render/session-page.js';
import { latestResult } from '../render/test-chart.js';

export interface PageDeps {
  /** The sessions; a project's name finds its latest run, so `/sessions/<project>` opens it. */
  reader: SessionReader & { latestOfProject(project: string): Session | undefined };
  clock: Clock;
  /** The folder holding package.json, `public/` (with the page shell, read once here) and `dist/`. */
  packageRoot: string;
  /** A session's token, cost, context and test metrics, or null when there are none. */
  metrics?: (sessionId: string) => SessionMetrics | null;
  /** How the first read of Claude Code history is going, or null when there is none. */
  backfill?: () => BackfillProgress | null;
  /** The agents of a session (SPEC 1.7); none when absent. */
  agents?: (sessionId: string) => Agent[];
  /** Builder's parallel tasks (`build-tasks.json`), or null when the build has none. */
  tasks?: (sessionId: string) => BuildTask[] | null;
  /** The newest `limit` log lines of a session, oldest first; none when absent. */
  logs?: (sessionId: string, limit: number) => LogLine[];
}

/** Page size of the dashboard lists. */
const LIST_PAGE_SIZE = 50;

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
} as const;

/**
 * Only `SafeHtml` goes out, so a plain string from a build cannot reach a page by mistake; it goes
 * compressed when the browser accepts it.
 */
function sendHtml(c: Context, markup: SafeHtml, status: 200 | 404 = 200): Response {
  const { body, headers } = encodeFresh(markup.toString(), c.req.header('Accept-Encoding'));
  return c.body(body, status, { ...HTML_HEADERS, ...headers, 'Content-Security-Policy': PAGE_CSP });
}

/**
 * A session's plan as the pages draw it (`tasks` nested under Builder), each phase marked as
 * Context Foundry's own or not and as optional or not: the pages render data, never rules.
 */
export function plannedPhases(session: Session, tasks: readonly BuildTask[] | null): PlannedPhase[] {
  return buildPlan(session, tasks).map((phase) => ({
    ...phase,
    canonical: canonicalPhase(phase.name) !== undefined,
    optional: isOptionalPhase(phase.name),
  }));
}

/**
 * Page and fragment routes, plus the assets; mount with `app.route('/', createPageRoutes(deps))`.
 * Throws when the page shell cannot be read or lacks a slot: no page could be served without it.
 */
export function createPageRoutes({
  reader,
  clock,
  packageRoot,
  metrics,
  backfill,
  agents,
  tasks,
  logs,
}: PageDeps): Hono {
  const app = new Hono();
  const shell = loadPageShell(packageRoot);
  const metricsOf = (id: string): SessionMetrics | null => metrics?.(id) ?? null;
  const backfillNow = (): BackfillProgress | null => backfill?.() ?? null;
  const agentsOf = (id: string): Agent[] => agents?.(id) ?? [];
  const tasksOf = (id: string): BuildTask[] | null => tasks?.(id) ?? null;
  const logsOf = (id: string): LogLine[] => logs?.(id, LOG_TAIL_LINES) ?? [];
  // Cards draw the plan without Builder's tasks. Metrics and agents are looked up only for builds
  // still going, so a list of finished ones costs nothing extra.
  const cardData = (session: Session): CardData => {
    const data: CardData = { plan: plannedPhases(session, null) };
    if (session.endedAt !== null) return data;
    if (metrics) data.tests = latestResult(metricsOf(session.id));
    if (agents) data.agents = agentsOf(session.id);
    return data;
  };

  app.get(ROUTES.dashboard, (c) =>
    sendHtml(c, renderDashboardPage(shell, parseTab(c.req.query(QUERY.tab)), renderBackfill(backfillNow()))),
  );

  app.get(ROUTES.session, (c) => {
    const wanted = c.req.param('id');
    // As the API does: a session id, or else a project's name for the latest run of it.
    const session = reader.get(wanted) ?? reader.latestOfProject(wanted);
    if (!session) return sendHtml(c, renderNotFoundPage(shell, `session or project called “${wanted}”`), 404);
    const id = session.id;
    return sendHtml(
      c,
      renderSessionPage(shell, session, reader.raw(id), clock.now(), {
        plan: plannedPhases(session, tasksOf(id)),
        metrics: metricsOf(id),
        backfill: backfillNow(),
        agents: agentsOf(id),
        logs: logsOf(id),
      }),
    );
  });

  app.get(ROUTES.tabsFragment, (c) =>
    sendHtml(c, renderTabs(reader.counts(), parseTab(c.req.query(QUERY.tab)))),
  );

  app.get(ROUTES.listFragment, (c) => {
    const tab = parseTab(c.req.query(QUERY.tab));
    const cursor = c.req.query(QUERY.cursor) || undefined;
    const page = reader.list({ state: tab, limit: LIST_PAGE_SIZE, cursor });
    const now = clock.now();
    if (cursor !== undefined) return sendHtml(c, renderMoreCards(page, tab, now, cardData));
    const list = renderSessionList(page, tab, now, cardData);
    const withTabs = c.req.query(QUERY.withTabs) === '1';
    return sendHtml(c, withTabs ? html`${list}${renderTabs(reader.counts(), tab, { oob: true })}` : list);
  });

  app.get(ROUTES.cardFragment, (c) => {
    const session = reader.get(c.req.param('id'));
    if (!session) return sendHtml(c, html``, 404);
    return sendHtml(c, renderCard(session, clock.now(), cardData(session)));
  });

  app.get(ROUTES.detailFragment, (c) => {
    const id = c.req.param('id');
    const session = reader.get(id);
    if (!session) return sendHtml(c, html``, 404);
    return sendHtml(
      c,
      renderSessionDetail(session, reader.raw(id), clock.now(), {
        plan: plannedPhases(session, tasksOf(id)),
        metrics: metricsOf(id),
      }),
    );
  });

  app.get(ROUTES.metricsFragment, (c) => {
    const id = c.req.param('id');
    const session = reader.get(id);
    if (!session) return sendHtml(c, html``, 404);
    return sendHtml(c, renderMetricsSection(session, metricsOf(id)));
  });

  app.get(ROUTES.agentsFragment, (c) => {
    const id = c.req.param('id');
    const session = reader.get(id);
    if (!session) return sendHtml(c, html``, 404);
    return sendHtml(c, renderAgentsPanel(session.id, agentsOf(id), clock.now()));
  });

  app.get(ROUTES.logsFragment, (c) => {
    const id = c.req.param('id');
    const session = reader.get(id);
    if (!session) return sendHtml(c, html``, 404);
    return sendHtml(c, renderLogLines(session.id, logsOf(id)));
  });

  app.get(ROUTES.backfillFragment, (c) => sendHtml(c, renderBackfill(backfillNow())));

  app.route('/', createAssetRoutes({ packageRoot }));
  return app;
}
