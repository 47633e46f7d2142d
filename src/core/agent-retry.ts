/**
 * @module
 * When an agent's failure was taken over (issue 10: a completed build with one retried agent
 * must not say "1 failed"). A build retries failed work with a new agent: Context Foundry's
 * builders name the task they work on, and a retry is called after the agent it replaces
 * (`builder-3` → `builder-3-retry`, "Builder 3: cache" → "Builder 3 (retry): cache").
 */
import type { Agent } from '../shared/protocol.js';

/** A name with its retry marks taken out: "Builder 3 (retry): cache" → "builder 3: cache". */
function plainName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\s*[([]?\bretry(?:\s*#?\d+)?\b[)\]]?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether `later` does the work `failed` was doing. */
export function sameWork(failed: Agent, later: Agent): boolean {
  if (failed.task !== null && later.task !== null) return failed.task === later.task;
  if (later.id.startsWith(`${failed.id}-`) || later.id.startsWith(`${failed.id}_`)) return true;
  return failed.name !== null && later.name !== null && plainName(failed.name) === plainName(later.name);
}

/**
 * Whether `later` is a retry of `failed` that succeeded: another agent of the same session,
 * first seen no earlier, that completed the same work.
 */
export function retriedBy(failed: Agent, later: Agent): boolean {
  return (
    failed.status === 'failed' &&
    later.status === 'completed' &&
    later.id !== failed.id &&
    later.sessionId === failed.sessionId &&
    later.startedAt >= failed.startedAt &&
    sameWork(failed, later)
  );
}
