/**
 * @module
 * The dashboard tabs (SPEC 5) and which sessions each one lists, defined once for the server's
 * listing and counts (src/core/session-list.ts) and the browser client, which decides from a
 * `session` frame whether the tab on screen needs redrawing (src/client/main.ts).
 */
import type { SessionState } from './protocol.js';

/** The dashboard tabs in the order they are shown. */
export const TABS = ['active', 'completed', 'failed', 'all'] as const;

/** A dashboard tab: `active` is running plus stalled, `all` is every session. */
export type SessionTab = (typeof TABS)[number];

/** The one tab besides `all` that lists a session in this state. */
export type StateTab = Exclude<SessionTab, 'all'>;

const STATE_TABS: Readonly<Record<SessionState, StateTab>> = {
  running: 'active',
  stalled: 'active',
  completed: 'completed',
  failed: 'failed',
};

/** Whether a value (a query string, a `data-tab` attribute) names a tab. */
export function isTab(value: unknown): value is SessionTab {
  return TABS.some((tab) => tab === value);
}

/** The tab named in a query string, or `active` for anything else. */
export function parseTab(value: string | undefined): SessionTab {
  return isTab(value) ? value : 'active';
}

/** The tab besides `all` that lists a session. */
export function tabOf(session: { readonly state: SessionState }): StateTab {
  return STATE_TABS[session.state];
}

/** Whether the tab lists the session. */
export function inTab(session: { readonly state: SessionState }, tab: SessionTab): boolean {
  return tab === 'all' || tab === tabOf(session);
}
