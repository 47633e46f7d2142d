/**
 * @module
 * The phase plan on a session page (SPEC 4, 5): the whole pipeline in order (src/core/plan.ts),
 * each phase with a status badge, the reason when it is blocked or skipped, start, end and
 * duration, the running phase's time ticking in the browser, and Builder's parallel tasks
 * nested under it with their states and dependencies.
 */
import type { PlanStatus, PlanTask, Session } from '../shared/protocol.js';
import type { PlannedPhase } from './planned-phase.js';
import { classes, html, type SafeHtml } from './html.js';
import { formatDuration, UNKNOWN } from '../shared/format.js';
import { elapsed, localTime } from './stamps.js';

/** Badge words for each plan status. */
const PLAN_LABELS: Readonly<Record<PlanStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
  blocked: 'Blocked',
};

/** The status badge: `<span class="pill pill-blocked" data-status="blocked">Blocked</span>`. */
function planPill(status: PlanStatus): SafeHtml {
  return html`<span class="pill pill-${status}" data-status="${status}">${PLAN_LABELS[status]}</span>`;
}

function timeCell(iso: string | null): SafeHtml {
  if (iso === null) return html`<td class="t-time">${UNKNOWN}</td>`;
  return html`<td class="t-time">${localTime(iso, 'clock')}</td>`;
}

function durationCell(phase: PlannedPhase, session: Session, now: number): SafeHtml {
  // Only the browser knows the time, so a running phase's duration ticks there (SPEC 2).
  if (phase.status === 'running' && session.endedAt === null && phase.startedAt !== null)
    return html`<td class="t-duration">${elapsed(phase.startedAt, null, now)}</td>`;
  if (phase.durationMs === null) return html`<td class="t-duration">${UNKNOWN}</td>`;
  // SPEC 2: times the build did not write are buildcast's receipt times, and say so.
  if (phase.clock === 'receipt')
    return html`<td class="t-duration" title="timed on receipt: the build wrote no timestamps for this phase">
      ≈${formatDuration(phase.durationMs)}
    </td>`;
  return html`<td class="t-duration">${formatDuration(phase.durationMs)}</td>`;
}

function taskRow(task: PlanTask): SafeHtml {
  return html`<li
    class="${classes('plan-task', `task-${task.status}`)}"
    data-task-id="${task.id}"
    data-status="${task.status}"
  >
    <span class="task-name">${task.name}</span>
    ${task.name !== task.id && html`<code class="task-id">${task.id}</code>`} ${planPill(task.status)}
    ${
      task.dependsOn.length > 0 &&
      html`<span class="task-deps"
        >after ${task.dependsOn.map((dep, i) => html`${i > 0 && ', '}<code>${dep}</code>`)}</span
      >`
    }
    ${task.agent !== null && html`<span class="task-agent">agent ${task.agent}</span>`}
    ${task.blockedBy !== null && html`<span class="task-why">${task.blockedBy}</span>`}
    ${task.error !== null && html`<span class="task-error">${task.error}</span>`}
  </li>`;
}

/** "4 parallel tasks: 2 done, 1 running, 1 blocked". */
function tasksSummary(tasks: readonly PlanTask[]): string {
  const counts = new Map<PlanStatus, number>();
  for (const task of tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
  const parts = (Object.keys(PLAN_LABELS) as PlanStatus[])
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${PLAN_LABELS[status].toLowerCase()}`);
  return `${tasks.length} parallel ${tasks.length === 1 ? 'task' : 'tasks'}: ${parts.join(', ')}`;
}

function tasksRow(phase: PlannedPhase): SafeHtml | null {
  if (phase.tasks.length === 0) return null;
  return html`<tr class="t-tasks" data-phase="${phase.name}">
    <td colspan="5">
      <p class="tasks-summary">${tasksSummary(phase.tasks)}</p>
      <ol class="plan-tasks" aria-label="${phase.name} tasks">
        ${phase.tasks.map(taskRow)}
      </ol>
    </td>
  </tr>`;
}

function phaseRow(phase: PlannedPhase, session: Session, now: number): SafeHtml {
  const optional = phase.optional && (phase.status === 'queued' || phase.status === 'skipped');
  return html`<tr class="t-row t-${phase.status}" data-status="${phase.status}" data-phase="${phase.name}">
      <th scope="row" class="t-phase">
        ${phase.name} ${phase.number !== null && html`<span class="phase-number">${phase.number}</span>`}
        ${optional && html`<span class="phase-optional">optional</span>`}
      </th>
      <td class="t-status">
        ${planPill(phase.status)}
        ${phase.reason !== null && html`<span class="plan-reason">${phase.reason}</span>`}
      </td>
      ${timeCell(phase.startedAt)} ${timeCell(phase.endedAt)} ${durationCell(phase, session, now)}
    </tr>
    ${tasksRow(phase)}`;
}

/** The plan table, or a plain sentence when there is no pipeline to show. */
export function renderPlan(plan: readonly PlannedPhase[], session: Session, now: number): SafeHtml {
  if (plan.length === 0) return html`<p class="muted">No phases recorded yet.</p>`;
  return html`<div class="table-wrap">
    <table class="timeline plan">
      <thead>
        <tr>
          <th scope="col">Phase</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Ended</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        ${plan.map((phase) => phaseRow(phase, session, now))}
      </tbody>
    </table>
  </div>`;
}
