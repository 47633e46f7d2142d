/**
 * @module
 * The query of `GET /api/sessions` and of the history page (SPEC 4), read once at the edge into
 * a typed `SessionQuery`: `state`, `project`, `q`, `limit`, `cursor`, `sort`, `order`, `from`,
 * `to`, `source` and `host`. A bad value is a problem naming the parameter, never a guess; empty values
 * mean "not given", as an HTML form sends them.
 */
import type { SessionSource, SessionState } from '../shared/protocol.js';
import { RUN_SORTS } from '../core/run-order.js';
import type { RunSort, SessionQuery, SessionTab } from '../core/session-query.js';

const STATES: readonly (SessionState | SessionTab)[] = [
  'running',
  'completed',
  'failed',
  'stalled',
  'active',
  'all',
];
const SOURCES: readonly SessionSource[] = ['live', 'push', 'checkpoint', 'transcript', 'otel'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

export type QueryParse = { ok: true; query: SessionQuery } | { ok: false; problem: string };

/** A value from the query string; undefined when absent or empty. */
export type QueryValue = (name: string) => string | undefined;

const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  list.some((item) => item === value);

/**
 * A time bound: a whole date (`2026-11-20`, UTC) or an ISO date-time. `to` with a whole date
 * includes that day, so `from=2026-11-20&to=2026-11-20` is the one day.
 */
function parseBound(text: string, end: boolean): number | null {
  if (DATE.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) ? null : end ? ms + DAY_MS : ms;
  }
  if (!DATE_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** Reads a session query, or says which parameter is wrong and what it takes. */
export function parseSessionQuery(value: QueryValue): QueryParse {
  const query: SessionQuery = {};
  const bad = (problem: string): QueryParse => ({ ok: false, problem });
  const state = value('state');
  if (state !== undefined) {
    if (!oneOf(STATES, state)) return bad(`state must be one of ${STATES.join(', ')}, not "${state}"`);
    query.state = state;
  }
  const limit = value('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 500) {
      return bad(`limit must be a whole number from 1 to 500, not "${limit}"`);
    }
    query.limit = n;
  }
  const cursor = value('cursor');
  if (cursor !== undefined) {
    if (!/^\d+$/.test(cursor)) return bad(`cursor "${cursor}" is not one this server gave`);
    query.cursor = cursor;
  }
  const project = value('project');
  if (project !== undefined) query.project = project;
  const q = value('q');
  if (q !== undefined) query.q = q;
  const sort = value('sort');
  if (sort !== undefined) {
    if (!oneOf<RunSort>(RUN_SORTS, sort))
      return bad(`sort must be one of ${RUN_SORTS.join(', ')}, not "${sort}"`);
    query.sort = sort;
  }
  const order = value('order');
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc') return bad(`order must be asc or desc, not "${order}"`);
    query.order = order;
  }
  for (const name of ['from', 'to'] as const) {
    const text = value(name);
    if (text === undefined) continue;
    const ms = parseBound(text, name === 'to');
    if (ms === null) {
      return bad(
        `${name} must be an ISO date (2026-11-20) or date and time (2026-11-20T14:00:00Z), not "${text}"`,
      );
    }
    query[name] = ms;
  }
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
    return bad('from must come before to');
  }
  const host = value('host');
  if (host !== undefined) query.host = host;
  const source = value('source');
  if (source !== undefined) {
    if (!oneOf(SOURCES, source)) return bad(`source must be one of ${SOURCES.join(', ')}, not "${source}"`);
    query.source = source;
  }
  return { ok: true, query };
}
