/**
 * @module
 * What a session page offers besides watching (SPEC 4 export and delete, SPEC 4 `forecast`): the
 * expected finish of a running build with each phase still to come, the exports of the run, and
 * the page that asks before a run is deleted. The deletion itself is `DELETE /api/sessions/:id`,
 * sent by src/client/history.ts with the token when the server has one.
 */
import type { Session } from '../shared/protocol.js';
import type { ForecastResult } from '../core/forecast.js';
import { DATA, EVENTS, IDS, QUERY, ROUTES } from '../shared/dom.js';
import {
  deleteRunPath,
  exportPath,
  forecastFragmentPath,
  historyPath,
  sessionApiPath,
  sessionPath,
} from '../shared/paths.js';
import { formatDuration, formatTimestamp } from '../shared/format.js';
import { stateBadge } from './card.js';
import { formatTokens, formatUsd } from './format.js';
import { shortStart } from './history-format.js';
import { html, type SafeHtml } from './html.js';
import { renderPage } from './layout.js';
import type { PageShell } from './page-shell.js';

/**
 * The forecast panel around `body`: it fetches itself when shown and again whenever the session
 * changes (`bc:detail`, which bubbles to the body from the detail it refreshes).
 */
function forecastPanel(sessionId: string, body: SafeHtml): SafeHtml {
  return html`<section
    id="${IDS.forecast}"
    class="panel forecast"
    aria-labelledby="forecast-title"
    hx-get="${forecastFragmentPath(sessionId)}"
    hx-trigger="${EVENTS.detail} from:body"
    hx-swap="outerHTML"
  >
    <h2 id="forecast-title">Expected finish</h2>
    ${body}
  </section>`;
}

/** Where the forecast of a running session goes on its page: fetched as soon as it is shown. */
export function forecastSlot(session: Session): SafeHtml | null {
  if (session.endedAt !== null) return null;
  return html`<div hx-get="${forecastFragmentPath(session.id)}" hx-trigger="load" hx-swap="outerHTML">
    ${forecastPanel(session.id, html`<p class="muted">Working it out from past runs…</p>`)}
  </div>`;
}

/** The expected finish and the phases still to come, or why there is none. */
export function renderForecast(sessionId: string, result: ForecastResult, now: number): SafeHtml {
  const { forecast } = result;
  if (forecast === null) {
    return forecastPanel(
      sessionId,
      html`<p class="muted forecast-none">No expected finish: ${result.forecastReason}.</p>`,
    );
  }
  const runs = `${forecast.basedOnRuns} completed run${forecast.basedOnRuns === 1 ? '' : 's'}`;
  const left = formatDuration(Math.max(0, Date.parse(forecast.finishAt) - now));
  return forecastPanel(
    sessionId,
    html`<p class="forecast-finish">
        Expected to finish at
        <time datetime="${forecast.finishAt}">${formatTimestamp(forecast.finishAt)}</time>, in ${left}
        <span class="muted">(from ${runs})</span>
      </p>
      ${
        forecast.phases.length > 0 &&
        html`<table class="forecast-table">
          <thead>
            <tr>
              <th scope="col">Phase to come</th>
              <th scope="col" class="num">Expected</th>
              <th scope="col" class="num">Range</th>
              <th scope="col" class="num">Runs</th>
            </tr>
          </thead>
          <tbody>
            ${forecast.phases.map(
              (phase) =>
                html`<tr>
                  <th scope="row">${phase.phase}</th>
                  <td class="num">${formatDuration(phase.medianMs)}</td>
                  <td class="num">${formatDuration(phase.minMs)}–${formatDuration(phase.maxMs)}</td>
                  <td class="num">${phase.runs}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
      }`,
  );
}

/** Exports and deletion of a run, for the side of its page. */
export function renderRunActions(session: Session): SafeHtml {
  return html`<section class="panel run-actions" aria-labelledby="run-actions-title">
    <h2 id="run-actions-title">This run</h2>
    <p>
      Export: <a href="${exportPath(session.id, 'json')}" download>JSON</a> (everything known) ·
      <a href="${exportPath(session.id, 'csv')}" download>CSV</a> (phases and metrics)
    </p>
    <p><a href="${historyPath({ project: session.project })}">Other runs of ${session.project}</a></p>
    <p><a class="danger-link" href="${deleteRunPath(session.id)}">Delete this run…</a></p>
  </section>`;
}

/** The page that asks before deleting a run, with a token field when the server has a token. */
export function renderDeletePage(shell: PageShell, session: Session, needsToken: boolean): SafeHtml {
  const running = session.state === 'running';
  const form = running
    ? html`<p class="problem" role="alert">
        This run is still running. It can be deleted once it has ended or stalled.
      </p>`
    : html`<form
        id="${IDS.deleteForm}"
        class="delete-form"
        method="get"
        action="${deleteRunPath(session.id)}"
        ${DATA.deleteUrl}="${sessionApiPath(session.id)}"
        ${DATA.doneUrl}="${historyPath({ [QUERY.deleted]: session.id })}"
      >
        ${
          needsToken &&
          html`<label class="field"
            >Token (this server needs it for any change)
            <input id="${IDS.deleteToken}" type="password" autocomplete="off" required />
          </label>`
        }
        <p id="${IDS.deleteMessage}" class="problem" role="alert" hidden></p>
        <noscript
          ><p class="problem">
            Deleting needs JavaScript, or: <code>curl -X DELETE …${sessionApiPath(session.id)}</code>
          </p></noscript
        >
        <button type="submit" class="danger">Delete this run</button>
        <a class="button-link" href="${sessionPath(session.id)}">Keep it</a>
      </form>`;
  return renderPage(shell, {
    title: `Delete ${session.project}`,
    main: html`<script type="module" src="${ROUTES.historyClient}"></script>
      <section class="panel delete-page">
        <h1>Delete this run?</h1>
        <p>
          <strong>${session.project}</strong>, started ${shortStart(session.startedAt)}
          ${stateBadge(session.state)} · ${session.phases.length} phases ·
          ${formatTokens(session.tokensTotal)} tokens · ${formatUsd(session.costUsd)}
        </p>
        <p>
          Its phases, metrics, test iterations, agents and log lines go with it, and it will not come back
          from its files. This cannot be undone;
          <a href="${exportPath(session.id, 'json')}" download>export it</a>
          first to keep a copy.
        </p>
        ${form}
      </section>`,
  });
}
