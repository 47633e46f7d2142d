/**
 * @module
 * Tells htmx which fragments to fetch again, coalescing bursts: whatever is asked for within
 * one 100 ms window becomes at most one request per element, so 200 sessions changing at once
 * cost a handful of requests, not 200 per change.
 *
 * Events (the server's fragments listen for them, see src/server/pages.ts):
 * `bc:list` and `bc:tabs` on `<body>`, `bc:session` on `#card-<id>`, `bc:detail` on `#session-detail`,
 * `bc:metrics` on `#session-metrics` (inside the detail), `bc:agents` on `#agents`, `bc:logs` on
 * `#log-lines` (inside `#log-tail`) and `bc:backfill` on `#backfill`.
 */

import { cardId, EVENTS, IDS, type ClientEvent, type ElementId } from '../shared/dom.js';

/** The little of htmx this page uses; htmx is loaded by its own script tag as a global. */
interface Htmx {
  trigger(target: Element, event: string, detail?: unknown): void;
}
declare const htmx: Htmx | undefined;

/** How long requests are gathered before they go out. */
const COALESCE_MS = 100;
/** Past this many cards at once, one list refresh is cheaper than a request per card. */
const MAX_CARD_REFRESHES = 24;

function trigger(target: Element, event: ClientEvent): void {
  // `typeof` because a global that failed to load is not even declared at run time.
  if (typeof htmx === 'undefined') return;
  htmx.trigger(target, event);
}

/** htmx marks an element with `htmx-request` while its request is in flight. */
function busy(el: Element): boolean {
  return el.classList.contains('htmx-request');
}

export class Refresher {
  #cards = new Set<string>();
  #list = false;
  #tabs = false;
  #detail = false;
  #metrics = false;
  #agents = false;
  #logs = false;
  #backfill = false;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // A hidden page gathers requests and sends them once it is looked at again.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.#schedule();
    });
  }

  /** Refresh one card (`#card-<id>`). */
  card(id: string): void {
    this.#cards.add(id);
    this.#schedule();
  }

  /** Refresh the current tab's list (and with it the tab bar). */
  list(): void {
    this.#list = true;
    this.#schedule();
  }

  /** Refresh the tab counts. */
  tabs(): void {
    this.#tabs = true;
    this.#schedule();
  }

  /** Refresh the live part of a session page. */
  detail(): void {
    this.#detail = true;
    this.#schedule();
  }

  /** Refresh the metrics section of a session page. */
  metrics(): void {
    this.#metrics = true;
    this.#schedule();
  }

  /** Refresh the agents panel of a session page. */
  agents(): void {
    this.#agents = true;
    this.#schedule();
  }

  /** Refresh the lines of a session page's log tail (after a reconnect: lines may have been missed). */
  logs(): void {
    this.#logs = true;
    this.#schedule();
  }

  /** Refresh everything on the page, whichever page it is. */
  all(): void {
    this.#list = true;
    this.#tabs = true;
    this.#detail = true;
    this.#agents = true;
    this.#logs = true;
    this.#backfill = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer === null) this.#timer = setTimeout(() => this.#flush(), COALESCE_MS);
  }

  #pending(): boolean {
    return (
      this.#list ||
      this.#tabs ||
      this.#detail ||
      this.#metrics ||
      this.#agents ||
      this.#logs ||
      this.#backfill ||
      this.#cards.size > 0
    );
  }

  #flush(): void {
    this.#timer = null;
    if (document.hidden) return;
    const list = document.getElementById(IDS.sessionList);
    const tabs = document.getElementById(IDS.tabs);
    if (this.#cards.size > MAX_CARD_REFRESHES && list) this.#list = true;
    // An element with a request in flight is about to be replaced; asking it again would be
    // lost with it, so it waits for the next window.
    if (this.#list) {
      if (!list) this.#list = false;
      else if (!busy(list) && !(tabs && busy(tabs))) {
        trigger(document.body, EVENTS.list);
        this.#list = false;
        this.#tabs = false;
        this.#cards.clear();
      }
    }
    if (this.#tabs) {
      if (!tabs) this.#tabs = false;
      else if (!busy(tabs)) {
        trigger(document.body, EVENTS.tabs);
        this.#tabs = false;
      }
    }
    const detail = document.getElementById(IDS.sessionDetail);
    if (this.#detail) {
      if (!detail) this.#detail = false;
      else if (!busy(detail)) {
        trigger(detail, EVENTS.detail);
        this.#detail = false;
        // The detail carries the metrics section, drawn afresh with it.
        this.#metrics = false;
      }
    }
    if (this.#metrics) {
      const metrics = document.getElementById(IDS.sessionMetrics);
      if (!metrics) this.#metrics = false;
      // A detail swap in flight would replace this section with one drawn before the news.
      else if (!busy(metrics) && !(detail && busy(detail))) {
        trigger(metrics, EVENTS.metrics);
        this.#metrics = false;
      }
    }
    this.#agents = this.#fire(this.#agents, IDS.agents, EVENTS.agents);
    this.#logs = this.#fire(this.#logs, IDS.logLines, EVENTS.logs);
    this.#backfill = this.#fire(this.#backfill, IDS.backfill, EVENTS.backfill);
    for (const id of this.#cards) {
      const card = document.getElementById(cardId(id));
      if (card && busy(card)) continue;
      if (card) trigger(card, EVENTS.session);
      this.#cards.delete(id);
    }
    if (this.#pending()) this.#schedule();
  }

  /** Fires `event` at `#id` when wanted; returns whether it is still wanted (its element was busy). */
  #fire(wanted: boolean, id: ElementId, event: ClientEvent): boolean {
    if (!wanted) return false;
    const el = document.getElementById(id);
    if (!el) return false;
    if (busy(el)) return true;
    trigger(el, event);
    return false;
  }
}
