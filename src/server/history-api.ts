/**
 * @module
 * The history side of the JSON API (SPEC 4): `GET /api/compare?ids=a,b,…[&format=csv|json]`,
 * `GET /api/sessions/:id/export?format=json|csv`, `DELETE /api/sessions/:id` (behind the token
 * when one is set, as every write is) and `GET /api/totals` (tokens and cost by day and project,
 * with the filters of `GET /api/sessions`). Mount with `app.route('/api', createHistoryApi(deps))`.
 */
import { Hono, type Context } from 'hono';
import type { Session } from '../shared/protocol.js';
import { comparisonCsv, runCsv } from '../core/run-export.js';
import { parseCompareIds, type HistoryProblem, type RunHistory } from '../core/run-history.js';
import type { SessionMetrics } from '../shared/metrics.js';
import { ApiError } from './errors.js';
import { parseSessionQuery } from './session-params.js';

export interface HistoryApiDeps {
  history: RunHistory;
  /** A session by id, or the latest run of a project given its name. */
  find: (idOrProject: string) => Session | undefined;
  metrics: (id: string) => SessionMetrics | null;
}

export type ExportFormat = 'json' | 'csv';

/** `format=` of an export: json (the default) or csv; anything else is a `bad_query`. */
export function exportFormat(text: string | undefined, fallback: ExportFormat | null): ExportFormat | null {
  if (text === undefined || text === '') return fallback;
  if (text === 'json' || text === 'csv') return text;
  throw new ApiError(400, 'bad_query', `format must be json or csv, not "${text}"`);
}

const STATUS: Record<HistoryProblem['code'], 400 | 404> = { bad_query: 400, not_found: 404 };

/** A history problem as the API's error. */
export function problemError(problem: HistoryProblem): ApiError {
  return new ApiError(STATUS[problem.code], problem.code, problem.message);
}

/** A file name safe in a header, from an id written by a build. */
const fileName = (id: string, ext: ExportFormat) =>
  `${id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.${ext}`;

/** A download: the body with its type and a file name. */
export function download(c: Context, body: string, name: string, format: ExportFormat): Response {
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
  return c.body(body, 200, {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${fileName(name, format)}"`,
    'Cache-Control': 'no-cache',
  });
}

/** The comparison `?ids=` asks for, or the API error that says why not. */
function comparisonFor(c: Context, history: RunHistory) {
  const ids = parseCompareIds(c.req.queries('ids') ?? []);
  if (!ids.ok) throw problemError(ids.problem);
  const result = history.compare(ids.value);
  if (!result.ok) throw problemError(result.problem);
  return result.value;
}

export function createHistoryApi({ history, find, metrics }: HistoryApiDeps): Hono {
  const api = new Hono();
  const known = (id: string): Session => {
    const session = find(id);
    if (!session) throw new ApiError(404, 'not_found', `no session "${id}"`);
    return session;
  };

  api.get('/compare', (c) => {
    const format = exportFormat(c.req.query('format'), null);
    const comparison = comparisonFor(c, history);
    if (format === 'csv')
      return download(c, comparisonCsv(comparison), `compare-${comparison.baseline}`, 'csv');
    if (format === 'json')
      return download(c, JSON.stringify(comparison, null, 2), `compare-${comparison.baseline}`, 'json');
    return c.json(comparison);
  });

  api.get('/sessions/:id/export', (c) => {
    const format = exportFormat(c.req.query('format'), 'json')!;
    const session = known(c.req.param('id'));
    if (format === 'csv') return download(c, runCsv(session, metrics(session.id)), session.id, 'csv');
    return download(c, JSON.stringify(history.export(session), null, 2), session.id, 'json');
  });

  api.delete('/sessions/:id', (c) => {
    const id = c.req.param('id');
    const result = history.delete(id);
    if (!result.ok) {
      const status = result.problem.code === 'still_running' ? 409 : STATUS[result.problem.code];
      throw new ApiError(status, result.problem.code, result.problem.message);
    }
    return c.json({ status: 'deleted', id: result.value.id, project: result.value.project });
  });

  api.get('/totals', (c) => {
    const parsed = parseSessionQuery((name) => c.req.query(name) || undefined);
    if (!parsed.ok) throw new ApiError(400, 'bad_query', parsed.problem);
    return c.json(history.totals(parsed.query));
  });

  return api;
}
