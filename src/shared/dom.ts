/**
 * @module
 * The DOM contract between the server's HTML (src/render/, the page shell
 * `public/dashboard.html`, the routes in src/server/pages.ts) and the browser client
 * (src/client/): element ids, the `bc:*` events the client fires to make htmx fetch a fragment
 * again, the data attributes and classes both sides read or draw, and every page and fragment
 * URL. Each name is written once here, so renaming one is a compile error on every side rather
 * than a live update that silently stops. The static shell cannot import this; a test checks
 * that the ids and events it carries are these (tests/shared/dom.test.ts).
 *
 * Ids are percent-encoded in URLs: they are meant to be URL-safe, but they come from the build.
 */
import type { SessionTab } from './tabs.js';

/** Element ids the client looks up, htmx targets, or a link points at. */
export const IDS = {
  /** `<main>`, the skip link's target (in the shell). */
  main: 'main',
  /** The connection indicator (in the shell). */
  connection: 'connection',
  /** "Heartbeat 3s ago" beside it (in the shell). */
  heartbeat: 'heartbeat',
  /** The dashboard's tab bar. */
  tabs: 'tabs',
  /** The cards of the dashboard tab on screen. */
  sessionList: 'session-list',
  /** The live part of a session page. */
  sessionDetail: 'session-detail',
  /** The metrics section inside the detail. */
  sessionMetrics: 'session-metrics',
  /** A session page's parse warnings; cards with warnings link to it. */
  warnings: 'warnings',
  /** The agents panel of a session page. */
  agents: 'agents',
  /** The log panel of a session page. */
  logTail: 'log-tail',
  /** The log lines inside it, the part htmx swaps. */
  logLines: 'log-lines',
  /** The log's "Follow" toggle. */
  logFollow: 'log-follow',
  /** The log's "Errors only" checkbox. */
  logErrorsOnly: 'log-errors-only',
  /** The history-reading banner. */
  backfill: 'backfill',
  /** Where the client announces a build that failed or completed while the page was open (in the shell). */
  notices: 'notices',
  /** The history page's filter form. */
  historyFilters: 'history-filters',
  /** The history page's runs, inside the form that opens a comparison of the selected ones. */
  compareForm: 'compare-form',
  /** That form's submit button, enabled for 2 to 10 selected runs. */
  compareButton: 'compare-button',
  /** How many runs are selected, and which is the baseline. */
  compareCount: 'compare-count',
  /** The comparison table. */
  compareTable: 'compare-table',
  /** The "differences only" checkbox of the comparison. */
  diffOnly: 'diff-only',
  /** A running session's expected finish (inside the session detail). */
  forecast: 'forecast',
  /** The confirmation form that deletes a run. */
  deleteForm: 'delete-form',
  /** Its token field, when the server has a token. */
  deleteToken: 'delete-token',
  /** Where it says what went wrong. */
  deleteMessage: 'delete-message',
} as const;

/** One of the fixed element ids. */
export type ElementId = (typeof IDS)[keyof typeof IDS];

/** A session's card on the dashboard. */
export const cardId = (sessionId: string): string => `card-${sessionId}`;

/** A dashboard tab in the tab bar; it labels the list it shows. */
export const tabId = (tab: SessionTab): string => `tab-${tab}`;

/**
 * The events the client fires (through `htmx.trigger`) for the fragment to fetch itself again;
 * the server's markup names them in `hx-trigger`. `list` and `tabs` fire on `<body>`, the others
 * on the element they refresh.
 */
export const EVENTS = {
  /** The dashboard list and tab bar (`#session-list`, `#tabs`). */
  list: 'bc:list',
  /** The tab bar's counts (`#tabs`). */
  tabs: 'bc:tabs',
  /** One card (`#card-<id>`). */
  session: 'bc:session',
  /** The live part of a session page (`#session-detail`). */
  detail: 'bc:detail',
  /** Its metrics section alone (`#session-metrics`). */
  metrics: 'bc:metrics',
  /** The agents panel (`#agents`). */
  agents: 'bc:agents',
  /** The log lines (`#log-lines`), after a reconnect. */
  logs: 'bc:logs',
  /** The history banner (`#backfill`), after a reconnect. */
  backfill: 'bc:backfill',
} as const;

/** One of the client's refresh events. */
export type ClientEvent = (typeof EVENTS)[keyof typeof EVENTS];

/**
 * Data attributes the server draws and the client reads or writes, keyed by their `dataset`
 * name (`data-session-id` is `dataset.sessionId`).
 */
export const DATA = {
  /** The session a page (on `<body>`), a metrics section or a log list belongs to. */
  sessionId: 'data-session-id',
  /** The tab a list or tab bar shows. */
  tab: 'data-tab',
  /** The newest log line a list holds, so the client appends only later ones. */
  lastSeq: 'data-last-seq',
  /** A log line's sequence number, level and source. */
  seq: 'data-seq',
  level: 'data-level',
  source: 'data-source',
  /** When the data last changed: the client rewrites "Updated 3s ago" from it every second. */
  fresh: 'data-fresh',
  /** When a run started: the client ticks its elapsed time from it. */
  since: 'data-since',
  /** When a finished run ended: the client rewrites "Finished 3m ago" from it every second. */
  ended: 'data-ended',
  /**
   * How a time reads in the viewer's zone: `datetime` ("2026-11-20 15:02:11"), `clock`
   * ("15:02:11") or `minutes` ("15:02"); on a `<time>`, or on an SVG `<text>` with `data-at`.
   */
  local: 'data-local',
  /** The ISO time an SVG label shows (SVG has no `<time>`). */
  at: 'data-at',
  /** A card's or a session page's session state and last change, as drawn. */
  state: 'data-state',
  updated: 'data-updated',
  /** The connection indicator's state (in the shell). */
  conn: 'data-conn',
  /** A run's label in a selection ("weather-app, 20 Nov 14:02"), on its checkbox. */
  runLabel: 'data-run-label',
  /** The API address a delete form sends `DELETE` to. */
  deleteUrl: 'data-delete-url',
  /** Where a page goes once its action is done. */
  doneUrl: 'data-done-url',
} as const;

/** A data attribute by its `dataset` name. */
export type DataName = keyof typeof DATA;

/** What the DOM's `dataset` is, written without the DOM library so the server compiles this too. */
interface WithDataset {
  readonly dataset: { [name: string]: string | undefined };
}

/** An element's data attribute, or undefined when it has none. */
export function readData(el: WithDataset, name: DataName): string | undefined {
  return el.dataset[name];
}

/** Sets an element's data attribute. */
export function writeData(el: WithDataset, name: DataName, value: string): void {
  el.dataset[name] = value;
}

/** A CSS selector for the elements that carry a data attribute. */
export const withData = (name: DataName): string => `[${DATA[name]}]`;

/** Classes the client looks for, or draws itself in the shape the server draws them. */
export const CLASSES = {
  backfillText: 'backfill-text',
  logLine: 'log-line',
  logTime: 'log-time',
  logLevel: 'log-level',
  logText: 'log-text',
  logCut: 'log-cut',
  logEmpty: 'log-empty',
} as const;

/** The class of a log line of a level: `log-error`. */
export const logLevelClass = (level: string): string => `log-${level}`;

/** Route patterns of the pages and fragments (Hono's `:id` syntax). */
export const ROUTES = {
  dashboard: '/',
  session: '/sessions/:id',
  tabsFragment: '/fragments/tabs',
  listFragment: '/fragments/sessions',
  cardFragment: '/fragments/cards/:id',
  detailFragment: '/fragments/sessions/:id/detail',
  metricsFragment: '/fragments/sessions/:id/metrics',
  agentsFragment: '/fragments/sessions/:id/agents',
  logsFragment: '/fragments/sessions/:id/logs',
  backfillFragment: '/fragments/backfill',
  favicon: '/favicon.svg',
  history: '/history',
  compare: '/compare',
  deleteRun: '/sessions/:id/delete',
  forecastFragment: '/fragments/sessions/:id/forecast',
  historyCss: '/assets/history.css',
  historyClient: '/assets/client/history.js',
  apiSession: '/api/sessions/:id',
  apiExport: '/api/sessions/:id/export',
  apiCompare: '/api/compare',
} as const;

/** The query parameters the dashboard's URLs carry. */
export const QUERY = {
  /** The tab shown. */
  tab: 'tab',
  /** Where the next page of a list starts. */
  cursor: 'cursor',
  /** `tabs=1`: the list also carries the tab bar, out of band. */
  withTabs: 'tabs',
  /** `alert=failed` on the favicon: the icon with a red dot. */
  alert: 'alert',
  /** The runs of a comparison, comma-separated, the baseline first. */
  ids: 'ids',
  /** `json` or `csv`: an export instead of a page. */
  format: 'format',
  /** `diff=1`: the comparison shows only the figures in which the runs differ. */
  diff: 'diff',
  /** The history page's notice that a run was deleted. */
  deleted: 'deleted',
} as const;
