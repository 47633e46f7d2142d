/**
 * @module
 * A session's whole pipeline as a plan (SPEC 1.1, 5): every phase Context Foundry runs, not only
 * the ones this session has reached, each queued, running, completed, failed, skipped or blocked,
 * with Builder's parallel tasks (`build-tasks.json`) nested under it.
 *
 * Context Foundry runs its phases one after another, each on the output of the one before, so a
 * failed phase blocks every later phase that has not run; the same holds for builder tasks and
 * their `dependsOn`. Pure: a `Session` and a task list in, a plan out.
 */
import { MAX_PHASES } from '../collector/phase-file.js';
import type { BuildTask } from '../collector/types.js';
import { CANONICAL_PHASES, canonicalPhase, phaseKey, statusOutcome } from './phases.js';
import type { PhaseSpan, PlanPhase, PlanStatus, PlanTask, Session } from '../shared/protocol.js';

/**
 * Phases a build may leave out without anything being wrong: Codebase Analysis runs only when
 * enhancing an existing codebase, GitHub Integration only when the build publishes.
 */
const OPTIONAL_PHASE_NAMES: readonly string[] = ['Codebase Analysis', 'GitHub Integration'];

/** The phase whose parallel tasks `build-tasks.json` lists. */
const TASKS_PHASE = 'Builder';

/** The reason given for a phase the build went past, or ended before, without running it. */
const NOT_RUN = 'not run';

/** Whether a phase may be left out of a build (shown queued, skipped once the build completes). */
export function isOptionalPhase(name: string): boolean {
  const phase = canonicalPhase(name);
  return phase !== undefined && OPTIONAL_PHASE_NAMES.includes(phase.name);
}

interface Entry {
  key: string;
  name: string;
  number: string | null;
  /** Position for ordering; null when the build gave no number for a phase buildcast does not know. */
  index: number | null;
  canonical: boolean;
  spans: PhaseSpan[];
  /** Listed in the session's `phasesCompleted`. */
  completed: boolean;
}

/** One key per phase whatever the build's spelling ("testing", "Test ", "TEST" are one phase). */
function keyOf(name: string): string {
  const phase = canonicalPhase(name);
  return phase ? `c:${phase.name}` : `x:${phaseKey(name)}`;
}

function entryFor(name: string, index: number | null, number: string | null): Entry {
  const phase = canonicalPhase(name);
  return {
    key: keyOf(name),
    name: phase ? phase.name : name.trim(),
    number: phase ? phase.number : number,
    index: phase ? phase.index : index,
    canonical: phase !== undefined,
    spans: [],
    completed: false,
  };
}

/**
 * Phases a plan shows at most: a session's timeline and its completed list hold at most
 * {@link MAX_PHASES} each, plus the current phase. A session stored before those caps is cut
 * here, so ordering (quadratic in this small number) stays cheap.
 */
const MAX_PLAN_PHASES = 2 * MAX_PHASES + 1;

/** The phases this session mentions, in the order it ran them. */
function seenEntries(session: Session): Entry[] {
  const seen = new Map<string, Entry>();
  const note = (name: string, index: number | null, number: string | null): Entry | undefined => {
    if (name.trim() === '') return undefined;
    const key = keyOf(name);
    let entry = seen.get(key);
    if (!entry) {
      if (seen.size >= MAX_PLAN_PHASES) return undefined;
      entry = entryFor(name, index, number);
      seen.set(key, entry);
    }
    return entry;
  };
  for (const span of session.phases) note(span.name, span.index, span.number)?.spans.push(span);
  for (const name of session.phasesCompleted) {
    const entry = note(name, null, null);
    if (entry) entry.completed = true;
  }
  if (session.currentPhase !== null) note(session.currentPhase, session.phaseIndex, session.phaseNumber);
  return [...seen.values()];
}

/**
 * Canonical phases first (Codebase Analysis only when it ran), then each phase only this build
 * knows, placed by its number or right after the phase it followed.
 */
function orderEntries(seen: Entry[], hasTasks: boolean): Entry[] {
  const seenKeys = new Set(seen.map((entry) => entry.key));
  // A Ralph loop or other non-Context-Foundry build should not be drawn against Context Foundry's pipeline.
  const useCanonical = seen.length === 0 || hasTasks || seen.some((entry) => entry.canonical);
  const ordered: Entry[] = useCanonical
    ? CANONICAL_PHASES.filter((phase) => !phase.optional || seenKeys.has(`c:${phase.name}`)).map(
        (phase) => seen.find((entry) => entry.key === `c:${phase.name}`) ?? entryFor(phase.name, null, null),
      )
    : [];
  let cursor = -1;
  for (const entry of seen) {
    const at = ordered.indexOf(entry);
    if (at >= 0) {
      cursor = at;
      continue;
    }
    if (entry.index !== null) {
      const index = entry.index;
      const before = ordered.findIndex((other) => other.index !== null && other.index > index);
      cursor = before < 0 ? ordered.length : before;
    } else {
      cursor += 1;
    }
    ordered.splice(cursor, 0, entry);
  }
  return ordered;
}

/** The status of a phase the session has run (or is running), or null for one it has not. */
function ranStatus(entry: Entry, session: Session, isCurrent: boolean): PlanStatus | null {
  const ended = session.state === 'completed' || session.state === 'failed';
  const last = entry.spans[entry.spans.length - 1];
  if (last) {
    switch (last.status) {
      case 'completed':
      case 'failed':
      case 'skipped':
        return last.status;
      case 'running':
        if (!ended) return 'running';
        // The build ended while this phase was open: it failed there, or finished it.
        return session.state === 'failed' && isCurrent ? 'failed' : 'completed';
    }
  }
  if (entry.completed) return 'completed';
  if (!isCurrent) return null;
  const outcome = statusOutcome(session.activity);
  if (outcome === 'failed' || session.state === 'failed') return 'failed';
  if (outcome === 'completed' || session.state === 'completed') return 'completed';
  return 'running';
}

/**
 * For each phase, why it is blocked if it has not run: the nearest earlier phase that ran, if
 * it failed. Phases that were only skipped in between do not stand in the way. One pass.
 */
function failuresBefore(entries: readonly Entry[], ran: readonly (PlanStatus | null)[]): (string | null)[] {
  const reasons: (string | null)[] = [];
  let last: string | null = null;
  ran.forEach((status, i) => {
    reasons.push(last);
    if (status === null || status === 'skipped') return;
    last = status === 'failed' ? `${entries[i]?.name ?? 'a phase'} failed` : null;
  });
  return reasons;
}

function sumDurations(spans: PhaseSpan[]): number | null {
  const known = spans.filter((span) => span.durationMs !== null);
  return known.length === 0 ? null : known.reduce((total, span) => total + (span.durationMs ?? 0), 0);
}

const FINISHED_TASK: ReadonlySet<PlanStatus> = new Set(['completed', 'failed', 'skipped']);

/**
 * The failed task each task waits on, directly or through unfinished ones: spread outward from
 * every failed task along "is depended on by" links, each task visited once, so a long chain or
 * a cycle in a hand-written file costs no more than its links.
 */
function failureRoots(tasks: readonly BuildTask[]): Map<string, string> {
  const dependents = new Map<string, BuildTask[]>();
  for (const task of tasks) {
    for (const id of task.dependsOn) {
      if (id === task.id) continue;
      const list = dependents.get(id);
      if (list) list.push(task);
      else dependents.set(id, [task]);
    }
  }
  const roots = new Map<string, string>();
  const queue: string[] = [];
  for (const task of tasks) {
    if (task.status === 'failed' && !roots.has(task.id)) {
      roots.set(task.id, task.id);
      queue.push(task.id);
    }
  }
  for (let next = 0; next < queue.length; next++) {
    const id = queue[next]!;
    const root = roots.get(id)!;
    for (const task of dependents.get(id) ?? []) {
      if (roots.has(task.id) || FINISHED_TASK.has(task.status)) continue;
      roots.set(task.id, root);
      queue.push(task.id);
    }
  }
  return roots;
}

/**
 * Builder's tasks with their dependencies followed: a task that is not finished and depends,
 * directly or through other tasks, on one that failed is blocked, and says which.
 */
export function planTasks(tasks: readonly BuildTask[]): PlanTask[] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const roots = failureRoots(tasks);
  return tasks.map((task): PlanTask => {
    const base: PlanTask = {
      id: task.id,
      name: task.name,
      status: task.status,
      dependsOn: [...task.dependsOn],
      agent: task.agent,
      error: task.error,
      blockedBy: null,
    };
    if (FINISHED_TASK.has(task.status)) return base;
    // A task listed as its own dependency is a slip in the file, not a reason.
    const dep = task.dependsOn.find((id) => id !== task.id && roots.has(id));
    if (dep !== undefined) {
      const root = roots.get(dep);
      const why =
        root === dep
          ? `depends on ${dep}, which failed`
          : `depends on ${dep}, which is blocked (${root} failed)`;
      return { ...base, status: 'blocked', blockedBy: why };
    }
    if (task.status !== 'blocked') return base;
    const waiting = task.dependsOn.filter((id) => id !== task.id && byId.get(id)?.status !== 'completed');
    return { ...base, blockedBy: waiting.length > 0 ? `waits on ${waiting.join(', ')}` : null };
  });
}

/**
 * The session's whole pipeline in order: every canonical phase (Codebase Analysis only when it
 * ran), and any other phase the session ran, each with its status, times and, when blocked or
 * skipped, the reason. `tasks` (from `build-tasks.json`) are nested under Builder.
 *
 * - A phase that failed blocks every later phase that has not run ("Test failed").
 * - A phase the build went past without running it is skipped ("not run"), and so is every
 *   phase a completed build never ran (GitHub Integration, when the build did not publish).
 * - A failed build whose failing phase is unknown blocks what it did not reach ("build failed").
 */
export function buildPlan(session: Session, tasks: readonly BuildTask[] | null): PlanPhase[] {
  const entries = orderEntries(seenEntries(session), tasks !== null && tasks.length > 0);
  const currentKey = session.currentPhase === null ? null : keyOf(session.currentPhase);
  const ran = entries.map((entry) => ranStatus(entry, session, entry.key === currentKey));
  let reached = -1;
  ran.forEach((status, i) => {
    if (status !== null) reached = i;
  });
  const plannedTasks = tasks === null ? [] : planTasks(tasks);
  const blockers = failuresBefore(entries, ran);

  return entries.map((entry, i): PlanPhase => {
    let status = ran[i] ?? null;
    let reason: string | null = status === 'skipped' ? NOT_RUN : null;
    if (status === null) {
      const failure = blockers[i] ?? null;
      if (failure !== null) [status, reason] = ['blocked', failure];
      else if (i < reached || session.state === 'completed') [status, reason] = ['skipped', NOT_RUN];
      else if (session.state === 'failed') [status, reason] = ['blocked', 'build failed'];
      else status = 'queued';
    }
    const first = entry.spans[0];
    const last = entry.spans[entry.spans.length - 1];
    return {
      name: entry.name,
      number: entry.number,
      status,
      startedAt: first?.startedAt ?? null,
      endedAt: status === 'running' ? null : (last?.endedAt ?? null),
      durationMs: sumDurations(entry.spans),
      clock: entry.spans.some((span) => span.clock === 'receipt') ? 'receipt' : 'build',
      reason,
      tasks: entry.key === `c:${TASKS_PHASE}` ? plannedTasks : [],
    };
  });
}
