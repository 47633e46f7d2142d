/**
 * @module
 * The browser side of buildcast's pages: holds the WebSocket, turns its frames into htmx
 * fragment refreshes, ticks freshness stamps and shows the connection state. No framework:
 * the server renders every piece of markup; this file only decides when to ask for it again.
 */
import { cardId, IDS, readData, writeData } from '../shared/dom.js';
import { formatAge } from '../shared/format.js';
import type { Agent, ServerMessage, Session, SessionState } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import { inTab, isTab } from '../shared/tabs.js';
import { Announcer } from './announce.js';
import { showBackfill } from './backfill.js';
import { Connection, socketUrl, type ConnectionState } from './connection.js';
import { followLocalTimes } from './local-time.js';
import { LogTail } from './log-tail.js';
import { Refresher } from './refresh.js';
import { enableTabKeys } from './tab-keys.js';
import { tickStamps } from './ticker.js';

/**
 * Compile-time exhaustiveness for the frame switch. At run time a frame type this page does not
 * know (a newer server) is ignored rather than breaking the page.
 */
function assertNever(frame: never): void {
  console.debug('buildcast: ignoring frame', frame);
}

/** Set on session pages: this page follows one session over `/ws/<id>`. */
const pageSessionId = readData(document.body, 'sessionId');
const refresher = new Refresher();
const announcer = new Announcer();
/**
 * How long the dashboard waits for the socket's first snapshot before loading its list anyway
 * (a proxy that refuses WebSockets must not leave the page empty).
 */
const FIRST_LIST_WAIT_MS = 3_000;
/** Whether the dashboard's list and tab bar have been asked for yet. */
let listAsked = false;
/** The log tail of a session page; null on other pages. */
const logTail =
  pageSessionId !== undefined && document.getElementById(IDS.logTail) ? new LogTail(pageSessionId) : null;
/** Each session's last known state, to tell new sessions and state changes from plain updates. */
const known = new Map<string, SessionState>();
/** Server time minus browser time, so "Updated 3s ago" agrees with the server's clock. */
let clockOffset = 0;
let lastHeartbeatAt: number | null = null;
let snapshots = 0;
let connectionState: ConnectionState = { kind: 'connecting' };

const now = (): number => Date.now() + clockOffset;

function noteServerTime(iso: string): void {
  const server = Date.parse(iso);
  if (!Number.isNaN(server)) clockOffset = server - Date.now();
}

function onSession(session: Session): void {
  const previous = known.get(session.id);
  known.set(session.id, session.state);
  announcer.session(session);
  if (pageSessionId !== undefined) {
    if (session.id === pageSessionId) refresher.detail();
    return;
  }
  const changed = previous !== session.state;
  if (changed) refresher.tabs();
  const list = document.getElementById(IDS.sessionList);
  const shown = list ? readData(list, 'tab') : undefined;
  const tab = isTab(shown) ? shown : undefined;
  const card = document.getElementById(cardId(session.id));
  if (card) {
    // A card whose session left this tab (running → completed on Active) needs the list redrawn.
    if (tab !== undefined && !inTab(session, tab)) refresher.list();
    else refresher.card(session.id);
  } else if (changed && (tab === undefined || inTab(session, tab))) {
    // A new session, or one that just moved into this tab.
    refresher.list();
  }
}

/**
 * New metrics: on a session page, the metrics section of that session; on the dashboard, the
 * session's card, which shows its latest test result.
 */
function onMetrics(metrics: SessionMetrics): void {
  if (pageSessionId !== undefined) {
    const section = document.getElementById(IDS.sessionMetrics);
    if (section && readData(section, 'sessionId') === metrics.sessionId) refresher.metrics();
    return;
  }
  if (document.getElementById(cardId(metrics.sessionId))) refresher.card(metrics.sessionId);
}

/**
 * An agent changed: on its session's page, the agents panel; on the dashboard, the session's
 * card, which sums its agents up.
 */
function onAgent(agent: Agent): void {
  if (pageSessionId !== undefined) {
    if (agent.sessionId === pageSessionId) refresher.agents();
    return;
  }
  if (document.getElementById(cardId(agent.sessionId))) refresher.card(agent.sessionId);
}

function onFrame(frame: ServerMessage): void {
  switch (frame.type) {
    case 'hello':
      noteServerTime(frame.serverTime);
      logTail?.reset();
      break;
    case 'snapshot':
      for (const session of frame.sessions) known.set(session.id, session.state);
      announcer.snapshot(frame.sessions);
      snapshots += 1;
      if (snapshots === 1) onFirstSnapshot(frame.sessions);
      // Later snapshots follow a reconnect, after which anything may have changed.
      else refresher.all();
      break;
    case 'session':
      onSession(frame.session);
      break;
    case 'heartbeat':
      noteServerTime(frame.serverTime);
      lastHeartbeatAt = Date.now();
      break;
    case 'log':
      if (frame.sessionId === pageSessionId) logTail?.append(frame.lines);
      break;
    case 'metrics':
      onMetrics(frame.metrics);
      break;
    case 'backfill':
      showBackfill(frame.progress);
      break;
    case 'agent':
      onAgent(frame.agent);
      break;
    case 'plan':
      // Builder's tasks changed: the plan is part of the detail. Cards do not show tasks.
      if (frame.sessionId === pageSessionId) refresher.detail();
      break;
    case 'pong':
      break;
    case 'error':
      console.warn(`buildcast: server error ${frame.code}: ${frame.message}`);
      break;
    default:
      assertNever(frame);
  }
}

/**
 * The first snapshot closes the gap between the page's first render and the socket. The
 * dashboard's list and tab bar load now, once (the shell holds no `load` trigger for them), so
 * they show everything up to this snapshot and frames bring everything after it. A session page
 * was drawn whole by the server: its detail is drawn again only if the session changed since.
 */
function onFirstSnapshot(sessions: readonly Session[]): void {
  if (pageSessionId === undefined) {
    // Asked for already when the socket was slow to come: what it showed may be out of date.
    if (listAsked) refresher.all();
    else askForList();
    return;
  }
  const detail = document.getElementById(IDS.sessionDetail);
  const session = sessions.find((candidate) => candidate.id === pageSessionId);
  if (
    !detail ||
    !session ||
    readData(detail, 'updated') !== session.updatedAt ||
    readData(detail, 'state') !== session.state
  )
    refresher.detail();
  // Lines and agents may have come and gone between the render and the socket's first frame.
  refresher.logs();
  refresher.agents();
}

/** Loads the dashboard's list and tab bar, once; after that, frames say when to redraw them. */
function askForList(): void {
  if (listAsked) return;
  listAsked = true;
  // htmx wires the shell's triggers up on DOMContentLoaded; an event fired before would be lost.
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => refresher.list(), { once: true });
  else refresher.list();
}

const STATE_CLASSES = ['conn-live', 'conn-connecting', 'conn-reconnecting', 'conn-offline'];

function connectionText(state: ConnectionState): string {
  switch (state.kind) {
    case 'live':
      return 'Live';
    case 'connecting':
      return snapshots === 0 ? 'Connecting…' : 'Reconnecting…';
    case 'reconnecting':
      return `Reconnecting in ${Math.max(1, Math.ceil((state.retryAt - Date.now()) / 1000))}s…`;
    case 'offline':
      return 'Offline';
  }
}

function showConnection(): void {
  const el = document.getElementById(IDS.connection);
  if (el) {
    const text = connectionText(connectionState);
    if (el.textContent !== text) el.textContent = text;
    if (readData(el, 'conn') !== connectionState.kind) {
      writeData(el, 'conn', connectionState.kind);
      el.classList.remove(...STATE_CLASSES);
      el.classList.add(`conn-${connectionState.kind}`);
    }
  }
  const beat = document.getElementById(IDS.heartbeat);
  if (beat) {
    const text = lastHeartbeatAt === null ? '' : `Heartbeat ${formatAge(Date.now() - lastHeartbeatAt)}`;
    if (beat.textContent !== text) beat.textContent = text;
  }
}

/** Keeps `<details>` the reader opened open when htmx swaps in a fresh copy of them. */
function rememberOpenDetails(): void {
  const open = new Set<string>();
  document.addEventListener(
    'toggle',
    (event) => {
      const el = event.target;
      if (!(el instanceof HTMLDetailsElement) || el.id === '') return;
      if (el.open) open.add(el.id);
      else open.delete(el.id);
    },
    true,
  );
  // `afterSwap` fires on the new elements right after they are inserted, before the browser paints.
  document.addEventListener('htmx:afterSwap', (event) => {
    const root = event.target;
    if (!(root instanceof Element)) return;
    const all = root instanceof HTMLDetailsElement ? [root] : root.querySelectorAll('details[id]');
    for (const details of all) if (open.has(details.id)) details.setAttribute('open', '');
  });
}

function start(): void {
  rememberOpenDetails();
  followLocalTimes();
  enableTabKeys();
  if (pageSessionId === undefined) setTimeout(askForList, FIRST_LIST_WAIT_MS);
  // htmx restores pages from its history cache; what they show may be long out of date.
  document.addEventListener('htmx:historyRestore', () => refresher.all());
  const connection = new Connection(socketUrl(location, pageSessionId), {
    frame: onFrame,
    state: (state) => {
      connectionState = state;
      showConnection();
      // No socket, no snapshot: the dashboard shows its list all the same, without live updates.
      if (pageSessionId === undefined && (state.kind === 'reconnecting' || state.kind === 'offline'))
        askForList();
    },
  });
  connection.start();
  setInterval(() => {
    connection.check(Date.now());
    tickStamps(now());
    showConnection();
  }, 1000);
}

start();
