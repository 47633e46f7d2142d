/**
 * @module
 * The overlay's browser side, made to run for hours in an OBS Browser Source: one socket to
 * `/overlay/ws` (src/client/connection.ts: heartbeats, reconnects with backoff), and when a frame
 * says the shown build changed, or a newer one may have started, one request for the overlay's
 * root, rendered and redacted by the server, which is morphed into the page in place. Requests
 * never pile up (one at a time, one more if something changed meanwhile); while the server is
 * away the last good state stays on screen. One timer, once a second, ticks the elapsed time and
 * freshness stamps. Moments (a new phase, tests turning green, the end of a build) are played by
 * CSS when `data-moment` is set on `<body>`.
 */
import type { ServerMessage, Session } from '../shared/protocol.js';
import { writeData } from '../shared/dom.js';
import { OVERLAY_DATA, OVERLAY_IDS, OVERLAY_ROUTES } from '../shared/overlay-dom.js';
import { parseOverlayParams, type OverlayPanel } from '../shared/overlay-params.js';
import { Connection } from './connection.js';
import { morph } from './morph.js';
import { tickStamps } from './ticker.js';

type Moment = 'phase' | 'green' | 'completed' | 'failed';

/** The page's own query goes with every request: the server reads the same parameters and token. */
const query = location.search;
const params = parseOverlayParams((name) => new URLSearchParams(query).get(name));
const shows = (panel: OverlayPanel): boolean => params.panels.includes(panel);
/** Server time minus browser time, so elapsed times agree with the server's clock. */
let clockOffset = 0;
let fetching = false;
let again = false;

const now = (): number => Date.now() + clockOffset;
const root = (): HTMLElement | null => document.getElementById(OVERLAY_IDS.root);

function noteServerTime(iso: string): void {
  const server = Date.parse(iso);
  if (!Number.isNaN(server)) clockOffset = server - Date.now();
}

/** Whether a session frame can change what the overlay shows (the server decides exactly). */
function concerns(session: Session): boolean {
  const shown = root()?.dataset;
  if (shown === undefined) return false;
  if (session.id === shown['sessionId']) return true;
  const follow = shown['follow'];
  if (follow === 'id') return session.project === shown['project'];
  if (follow === 'project' && session.project !== shown['project']) return false;
  const since = Date.parse(shown['startedAt'] ?? '');
  // A newer build may take over; a finished one may now be the last to have finished.
  return Number.isNaN(since) || Date.parse(session.startedAt) >= since || session.endedAt !== null;
}

const concernsShown = (sessionId: string): boolean => root()?.dataset['sessionId'] === sessionId;

/** The moment worth a viewer's notice between what is shown and what comes, if any. */
function momentOf(live: HTMLElement, next: HTMLElement): Moment | null {
  const before = live.dataset;
  const after = next.dataset;
  if (before['sessionId'] !== after['sessionId']) return null;
  const state = after['state'];
  if (before['state'] !== state && (state === 'completed' || state === 'failed')) return state;
  if (before['tests'] !== 'passing' && after['tests'] === 'passing') return 'green';
  if ((before['phase'] ?? '') !== '' && before['phase'] !== after['phase']) return 'phase';
  return null;
}

function play(moment: Moment): void {
  const body = document.body;
  body.removeAttribute(OVERLAY_DATA.moment);
  // Reading layout between the two makes the browser start the animation over.
  void body.offsetWidth;
  body.setAttribute(OVERLAY_DATA.moment, moment);
}

function apply(markup: string): void {
  const template = document.createElement('template');
  // The server rendered and escaped this markup; nothing in a template runs or loads.
  template.innerHTML = markup;
  const next = template.content.firstElementChild;
  const live = root();
  if (!(next instanceof HTMLElement) || live === null || next.id !== OVERLAY_IDS.root) return;
  const moment = momentOf(live, next);
  morph(live, next);
  tickStamps(now(), live);
  if (moment !== null) play(moment);
}

/** The next frame the page paints: a busy build is fetched for at most once a frame. */
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** Fetches the root again; a request already on its way is followed by one more, never more. */
async function refresh(): Promise<void> {
  if (fetching) {
    again = true;
    return;
  }
  fetching = true;
  try {
    for (let first = true; first || again; first = false) {
      if (!first) await nextFrame();
      again = false;
      const response = await fetch(`${OVERLAY_ROUTES.fragment}${query}`, { cache: 'no-store' });
      if (!response.ok) break;
      apply(await response.text());
    }
  } catch {
    // The server is away: the last state stays on screen, and the snapshot after the reconnect asks again.
  } finally {
    fetching = false;
  }
}

function onFrame(frame: ServerMessage): void {
  switch (frame.type) {
    case 'hello':
    case 'heartbeat':
      noteServerTime(frame.serverTime);
      break;
    case 'snapshot':
      // After a reconnect anything may have changed.
      void refresh();
      break;
    case 'session':
      if (concerns(frame.session)) void refresh();
      break;
    // The other frames matter only to the panel that shows them.
    case 'metrics':
      if (shows('tests') && concernsShown(frame.metrics.sessionId)) void refresh();
      break;
    case 'agent':
      if (shows('agents') && concernsShown(frame.agent.sessionId)) void refresh();
      break;
    case 'log':
      if (shows('log') && params.layout !== 'ticker' && concernsShown(frame.sessionId)) void refresh();
      break;
    case 'plan':
      if (shows('pipeline') && concernsShown(frame.sessionId)) void refresh();
      break;
    default:
      // backfill, pong, error and frames of a newer server: nothing on the overlay shows them.
      break;
  }
}

/** `/overlay/ws/<id>` when the overlay shows one session by its id, `/overlay/ws` otherwise. */
function socketUrl(): string {
  const selector = params.session;
  const one = selector.kind === 'id' && root()?.dataset['sessionId'] === selector.id;
  const path = one ? `${OVERLAY_ROUTES.socket}/${encodeURIComponent(selector.id)}` : OVERLAY_ROUTES.socket;
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}${query}`;
}

function start(): void {
  document.body.addEventListener('animationend', (event) => {
    if (event.target === document.body) document.body.removeAttribute(OVERLAY_DATA.moment);
  });
  const connection = new Connection(socketUrl(), {
    frame: onFrame,
    state: (state) => writeData(document.body, 'conn', state.kind),
  });
  connection.start();
  tickStamps(now());
  setInterval(() => {
    connection.check(Date.now());
    tickStamps(now());
  }, 1000);
}

start();
