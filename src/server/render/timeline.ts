/**
 * @module
 * The phase timeline on a session page (SPEC 4): every phase the session ran, in the order it
 * ran them, with status, start, end and duration, followed by the canonical phases still to
 * come, greyed.
 */
import type { PhaseSpan, PhaseStatus, Session } from '../../shared/protocol.js';
import { html, type SafeHtml } from './html.js';
import { formatClock, formatDuration, formatTimestamp, UNKNOWN } from './format.js';
import { phasePipeline } from './pipeline.js';
import { elapsed } from './stamps.js';

const STATUS_LABELS: Readonly<Record<PhaseStatus, string>> = {
  running: 'Running',
  completed: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

function timeCell(iso: string | null): SafeHtml {
  if (iso === null) return html`<td class="t-time">${UNKNOWN}</td>`;
  return html`<td class="t-time">
    <time datetime="${iso}" title="${formatTimestamp(iso)}">${formatClock(iso)}</time>
  </td>`;
}

function durationCell(span: PhaseSpan, session: Session, now: number): SafeHtml {
  if (span.durationMs !== null) return html`<td class="t-duration">${formatDuration(span.durationMs)}</td>`;
  const running = span.status === 'running' && span.endedAt === null && session.endedAt === null;
  if (running && span.startedAt !== null)
    return html`<td class="t-duration">${elapsed(span.startedAt, null, now)}</td>`;
  return html`<td class="t-duration">${UNKNOWN}</td>`;
}

function spanRow(span: PhaseSpan, session: Session, now: number): SafeHtml {
  return html`<tr class="t-row t-${span.status}" data-status="${span.status}">
    <th scope="row" class="t-phase">
      ${span.name} ${span.number !== null && html`<span class="phase-number">${span.number}</span>`}
    </th>
    <td class="t-status"><span class="pill pill-${span.status}">${STATUS_LABELS[span.status]}</span></td>
    ${timeCell(span.startedAt)} ${timeCell(span.endedAt)} ${durationCell(span, session, now)}
  </tr>`;
}

/** The timeline table, or a plain sentence when nothing has happened yet. */
export function renderTimeline(session: Session, now: number): SafeHtml {
  const upcoming = phasePipeline(session).filter((segment) => segment.status === 'upcoming');
  if (session.phases.length === 0 && upcoming.length === 0) {
    return html`<p class="muted">No phases recorded yet.</p>`;
  }
  return html`<div class="table-wrap">
    <table class="timeline">
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
        ${session.phases.map((span) => spanRow(span, session, now))}
        ${upcoming.map(
          (segment) =>
            html`<tr class="t-row t-upcoming" data-status="upcoming">
              <th scope="row" class="t-phase">
                ${segment.name}
                ${segment.number !== null && html`<span class="phase-number">${segment.number}</span>`}
              </th>
              <td class="t-status"><span class="pill pill-upcoming">Upcoming</span></td>
              <td class="t-time">${UNKNOWN}</td>
              <td class="t-time">${UNKNOWN}</td>
              <td class="t-duration">${UNKNOWN}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
