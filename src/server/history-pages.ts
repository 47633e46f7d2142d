/**
 * @module
 * The history pages (SPEC 5): `/history` (every stored run, filtered, sorted and paged, with totals
 * and tokens and cost by day and project), `/compare?ids=a,b,…` (also `&format=csv|json` for its
 * export, and `?ids=a&ids=b` as a form without a script sends it, redirected to the shareable
 * comma form), `/sessions/:id/delete` (the question before a run is deleted), the fragment
 * `/fragments/sessions/:id/forecast` (a running session's expected finish, swapped in by htmx),
 * and the pages' stylesheet. Mount with `app.route('/', createHistoryPages(deps))`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import type { Session } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { QUERY, ROUTES } from '../shared/dom.js';
import { comparePath } from '../shared/paths.js';
import { comparisonCsv } from '../core/run-export.js';
import { parseCompareIds, type RunHistory } from '../core/run-history.js';
import type { SessionPage, SessionQuery } from '../core/session-query.js';
import { renderComparePage } from '../render/compare-page.js';
import { renderHistoryPage, type HistoryParams } from '../render/history-page.js';
import type { SafeHtml } from '../render/html.js';
import { PAGE_CSP, renderNotFoundPage } from '../render/layout.js';
import { renderDeletePage, renderForecast } from '../render/run-actions.js';
import { loadPageShell } from './assets.js';
import { download, exportFormat, problemError } from './history-api.js';
import { parseSessionQuery } from './session-params.js';

/** What the history pages read of the registry. */
export interface HistoryReader {
  get(id: string): Session | undefined;
  list(query: SessionQuery): SessionPage;
  projects(): string[];
  hosts(): string[];
  readonly size: number;
}

export interface HistoryPageDeps {
  history: RunHistory;
  reader: HistoryReader;
  clock: Clock;
  packageRoot: string;
  /** The server has a token, so deleting asks for it. */
  tokenRequired: boolean;
}

/** Runs per history page. */
const HISTORY_PAGE_SIZE = 50;
const PARAMS = ['q', 'state', 'project', 'from', 'to', 'source', 'host', 'sort', 'order', 'cursor'] as const;

function sendHtml(c: Context, markup: SafeHtml, status: 200 | 400 | 404 = 200): Response {
  return c.body(markup.toString(), status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': PAGE_CSP,
  });
}

export function createHistoryPages({
  history,
  reader,
  clock,
  packageRoot,
  tokenRequired,
}: HistoryPageDeps): Hono {
  const app = new Hono();
  const shell = loadPageShell(packageRoot);
  const stylesheet = path.join(packageRoot, 'public', 'history.css');
  let css: Promise<string> | null = null;

  app.get(ROUTES.history, (c) => {
    const params: Record<string, string | undefined> = {};
    for (const name of PARAMS) params[name] = c.req.query(name) || undefined;
    const parsed = parseSessionQuery((name) => params[name]);
    const deleted = c.req.query(QUERY.deleted) || null;
    const base = { params: params as HistoryParams, stored: reader.size, deleted };
    const projects = reader.projects().sort();
    const hosts = reader.hosts().sort();
    if (!parsed.ok) {
      const view = { ...base, page: null, totals: null, problem: parsed.problem, projects, hosts };
      return sendHtml(c, renderHistoryPage(shell, view), 400);
    }
    const query: SessionQuery = { sort: 'started', ...parsed.query, limit: HISTORY_PAGE_SIZE };
    const view = {
      ...base,
      page: reader.list(query),
      totals: history.totals(query),
      problem: null,
      projects,
      hosts,
    };
    return sendHtml(c, renderHistoryPage(shell, view));
  });

  app.get(ROUTES.compare, (c) => {
    const given = c.req.queries(QUERY.ids) ?? [];
    const diff = c.req.query(QUERY.diff) === '1';
    const format = exportFormat(c.req.query(QUERY.format), null);
    const ids = parseCompareIds(given);
    // A form sends one `ids` per ticked box: the shareable address has them in one, comma-separated.
    if (given.length > 1 && ids.ok && format === null)
      return c.redirect(comparePath(ids.value, { diff }), 303);
    if (format !== null) {
      if (!ids.ok) throw problemError(ids.problem);
      const result = history.compare(ids.value);
      if (!result.ok) throw problemError(result.problem);
      const name = `compare-${result.value.baseline}`;
      if (format === 'csv') return download(c, comparisonCsv(result.value), name, 'csv');
      return download(c, JSON.stringify(result.value, null, 2), name, 'json');
    }
    const shown = ids.ok ? ids.value : given.flatMap((value) => value.split(',')).filter(Boolean);
    const result = ids.ok ? history.compare(ids.value) : ids;
    if (!result.ok) {
      const view = { ids: shown, comparison: null, problem: result.problem.message, diff };
      return sendHtml(c, renderComparePage(shell, view), result.problem.code === 'not_found' ? 404 : 400);
    }
    return sendHtml(
      c,
      renderComparePage(shell, { ids: shown, comparison: result.value, problem: null, diff }),
    );
  });

  app.get(ROUTES.deleteRun, (c) => {
    const id = c.req.param('id');
    const session = reader.get(id);
    if (!session) return sendHtml(c, renderNotFoundPage(shell, `session with the id “${id}”`), 404);
    return sendHtml(c, renderDeletePage(shell, session, tokenRequired));
  });

  app.get(ROUTES.forecastFragment, (c) => {
    const session = reader.get(c.req.param('id'));
    if (!session) return c.body('', 404);
    return sendHtml(c, renderForecast(session.id, history.forecast(session), clock.now()));
  });

  app.get(ROUTES.historyCss, async (c) => {
    css ??= readFile(stylesheet, 'utf8').catch((error: unknown) => {
      css = null;
      throw error;
    });
    return c.body(await css, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' });
  });

  return app;
}
