/**
 * @module
 * What the overlay shows, gathered for one request: the session it follows (src/core/
 * overlay-follow.ts), its plan, latest test result, agents and log tail, only for the panels it
 * shows, and redacted here, before any of it is rendered, when the overlay is redacted.
 */
import type { Agent, LogLine, Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import type { OverlayParams, OverlaySelector } from '../shared/overlay-params.js';
import { redactAgent, redactId, redactLogLines, redactPlan, redactSession } from '../shared/redact-frames.js';
import { redactText } from '../shared/redact.js';
import type { BuildTask } from '../collector/types.js';
import { followedSession } from '../core/overlay-follow.js';
import type { SessionReader } from '../core/session-query.js';
import type { OverlayView } from '../render/overlay.js';
import { LOG_LINES } from '../render/overlay-panels.js';
import { latestResult } from '../render/test-chart.js';
import { plannedPhases } from './pages.js';

/** Where the overlay's data comes from; each source but the reader may be absent. */
export interface OverlaySources {
  reader: SessionReader;
  metrics?: (sessionId: string) => SessionMetrics | null;
  agents?: (sessionId: string) => Agent[];
  logs?: (sessionId: string, limit: number) => LogLine[];
  tasks?: (sessionId: string) => BuildTask[] | null;
}

/** The selector as the overlay may show it ("Waiting for a build of …"). */
function redactSelector(selector: OverlaySelector): OverlaySelector {
  switch (selector.kind) {
    case 'latest':
      return selector;
    case 'project':
      return { kind: 'project', project: redactText(selector.project) };
    case 'id':
      return { kind: 'id', id: redactId(selector.id) };
  }
}

function gather(sources: OverlaySources, params: OverlayParams, session: Session): OverlayView {
  const { panels, layout } = params;
  const id = session.id;
  const logLines = LOG_LINES[layout];
  return {
    params,
    session,
    plan: panels.includes('pipeline') ? plannedPhases(session, sources.tasks?.(id) ?? null) : [],
    tests: panels.includes('tests') ? latestResult(sources.metrics?.(id) ?? null) : null,
    agents: panels.includes('agents') ? (sources.agents?.(id) ?? []) : [],
    logs: panels.includes('log') && logLines > 0 ? (sources.logs?.(id, logLines) ?? []) : [],
  };
}

/** Everything the overlay draws for these parameters, redacted when `redact` says so. */
export function overlayView(sources: OverlaySources, params: OverlayParams, redact: boolean): OverlayView {
  const session = followedSession(sources.reader, params.session);
  const view: OverlayView =
    session === null
      ? { params, session: null, plan: [], tests: null, agents: [], logs: [] }
      : gather(sources, params, session);
  if (!redact) return view;
  return {
    params: { ...params, session: redactSelector(params.session) },
    session: view.session && redactSession(view.session),
    plan: redactPlan(view.plan),
    // Only the counts are drawn; the failing tests' names are not needed at all.
    tests: view.tests && { ...view.tests, failing: [] },
    agents: view.agents.map(redactAgent),
    logs: redactLogLines(view.logs),
  };
}
