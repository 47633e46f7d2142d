/**
 * @module
 * When `session-summary.json` ends a run (SPEC 1.1: the session is completed when the summary
 * reports completion). The file names a folder, not a run, and stays behind when the run is
 * over, so a summary counts only for the run it belongs to: one that names another project, or
 * that was finished (or, saying no time, written) before this run started, is an earlier run's.
 */
import type { Session } from '../shared/protocol.js';
import type { SessionSummary } from '../collector/side-files.js';

/** How a summary ends a run: its outcome and when; null when it does not end this run. */
export interface SummaryOutcome {
  state: 'completed' | 'failed';
  endedAt: string;
}

/**
 * The outcome a summary gives `session`, given when the file was written (`writtenAt`, ms) and
 * the time now (for a failure that says no time).
 */
export function summaryOutcome(
  session: Pick<Session, 'id' | 'project' | 'startedAt'>,
  summary: Pick<SessionSummary, 'completed' | 'failed' | 'completedAt' | 'sessionId'>,
  writtenAt: number,
  now: number,
): SummaryOutcome | null {
  if (!summary.completed && !summary.failed) return null;
  if (summary.sessionId !== null && summary.sessionId !== session.project && summary.sessionId !== session.id)
    return null;
  const started = Date.parse(session.startedAt);
  if ((summary.completedAt ?? writtenAt) < started) return null;
  const at = summary.completedAt ?? (summary.failed ? now : writtenAt);
  return { state: summary.failed ? 'failed' : 'completed', endedAt: new Date(at).toISOString() };
}
