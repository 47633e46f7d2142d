/**
 * Which dashboard tab lists which session (src/shared/tabs.ts), as the server's lists and counts
 * and the browser's redraw decisions both use it.
 */
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../src/shared/protocol.js';
import { inTab, isTab, parseTab, tabOf, TABS } from '../../src/shared/tabs.js';
import { countSessions, listSessions } from '../../src/core/session-list.js';
import { RunOrder } from '../../src/core/run-order.js';
import { makeSession } from '../render/fixtures.js';

const STATES: readonly SessionState[] = ['running', 'stalled', 'completed', 'failed'];

describe('dashboard tabs', () => {
  it('are shown in the order Active, Completed, Failed, All', () => {
    expect(TABS).toEqual(['active', 'completed', 'failed', 'all']);
  });

  it('list running and stalled builds on Active, the others on their own tab, and all on All', () => {
    const listing = Object.fromEntries(
      TABS.map((tab) => [tab, STATES.filter((state) => inTab({ state }, tab))]),
    );
    expect(listing).toEqual({
      active: ['running', 'stalled'],
      completed: ['completed'],
      failed: ['failed'],
      all: ['running', 'stalled', 'completed', 'failed'],
    });
  });

  it('give every session exactly one tab besides All, the one that lists it', () => {
    for (const state of STATES) {
      const tab = tabOf({ state });
      expect(inTab({ state }, tab)).toBe(true);
      expect(TABS.filter((other) => other !== 'all' && inTab({ state }, other))).toEqual([tab]);
    }
  });

  it('read a tab from an address and fall back to Active for anything else', () => {
    expect(parseTab('failed')).toBe('failed');
    expect(parseTab('all')).toBe('all');
    expect(parseTab(undefined)).toBe('active');
    expect(parseTab('running')).toBe('active');
    expect(parseTab('"><script>')).toBe('active');
    expect(isTab('completed')).toBe(true);
    expect(isTab('stalled')).toBe(false);
    expect(isTab(undefined)).toBe(false);
  });

  it('are what the server counts and lists, so a tab’s count is the length of its list', () => {
    const sessions = STATES.flatMap((state, i) =>
      Array.from({ length: i + 1 }, (_, n) => makeSession({ id: `${state}-${n}`, state })),
    );
    const counts = countSessions(sessions);
    const order = new RunOrder();
    order.load(sessions);
    expect(counts).toEqual({ active: 3, completed: 3, failed: 4, all: 10 });
    for (const tab of TABS) {
      const page = listSessions(order, { state: tab, limit: 500 });
      expect(page.total, tab).toBe(counts[tab]);
      expect(page.sessions.every((session) => inTab(session, tab))).toBe(true);
    }
    // A state is a narrower filter than its tab: `stalled` alone, not all of Active.
    expect(listSessions(order, { state: 'stalled' }).total).toBe(2);
  });
});
