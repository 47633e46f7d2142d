/**
 * @module
 * The history page's filters (SPEC 5 History): search, outcome, project, date range, source and,
 * once some run has named its machine, host; sort and order. Also the parameters that make up a
 * view, so sort headings and page links keep the filters. Pure.
 */
import { IDS, ROUTES } from '../shared/dom.js';
import { html, type SafeHtml } from './html.js';

/** The filter and sort parameters, as given (so the form shows what was asked). */
export type HistoryParams = Readonly<Record<string, string | undefined>>;

/** What the form shows. */
export interface FilterView {
  params: HistoryParams;
  /** Known project names, for the project filter. */
  projects: readonly string[];
  /** Machines runs reported from; the host filter shows only when there are some. */
  hosts: readonly string[];
}

const SORTS: ReadonlyArray<[string, string]> = [
  ['started', 'Started'],
  ['duration', 'Duration'],
  ['tokens', 'Tokens'],
  ['cost', 'Cost'],
  ['iterations', 'Test iterations'],
];
const STATES: ReadonlyArray<[string, string]> = [
  ['', 'Any outcome'],
  ['completed', 'Completed'],
  ['failed', 'Failed'],
  ['active', 'Running or stalled'],
  ['running', 'Running'],
  ['stalled', 'Stalled'],
];
const SOURCES: ReadonlyArray<[string, string]> = [
  ['', 'Any source'],
  ['live', 'Live file'],
  ['push', 'Push'],
  ['checkpoint', 'Checkpoint'],
  ['transcript', 'Transcript'],
  ['otel', 'OpenTelemetry'],
];
/** Parameters that make up a view (the cursor is where in it). */
const VIEW_PARAMS = ['q', 'state', 'project', 'from', 'to', 'source', 'host', 'sort', 'order'] as const;

export const sortOf = (params: HistoryParams) => params['sort'] || 'started';
export const orderOf = (params: HistoryParams) => (params['order'] === 'asc' ? 'asc' : 'desc');

/** The view's parameters, with some changed (a sort, a cursor). */
export function viewParams(params: HistoryParams, changes: Record<string, string | undefined> = {}) {
  const out: Record<string, string | undefined> = {};
  for (const name of VIEW_PARAMS) out[name] = params[name];
  return { ...out, ...changes };
}

function options(list: ReadonlyArray<[string, string]>, chosen: string | undefined): SafeHtml[] {
  return list.map(
    ([value, label]) =>
      html`<option value="${value}" ${value === (chosen ?? '') && 'selected'}>${label}</option>`,
  );
}

/** The filter form: a plain GET of `/history`, so every view has an address. */
export function renderFilters(view: FilterView): SafeHtml {
  const p = view.params;
  return html`<form
    id="${IDS.historyFilters}"
    class="history-filters"
    method="get"
    action="${ROUTES.history}"
    role="search"
  >
    <label class="field field-wide"
      >Search <input type="search" name="q" value="${p['q'] ?? ''}" placeholder="project, phase, task text"
    /></label>
    <label class="field"
      >Outcome
      <select name="state">
        ${options(STATES, p['state'])}
      </select></label
    >
    <label class="field"
      >Project
      <input
        type="text"
        name="project"
        value="${p['project'] ?? ''}"
        list="history-projects"
        placeholder="any"
      />
      <datalist id="history-projects">
        ${view.projects.map((name) => html`<option value="${name}"></option>`)}
      </datalist>
    </label>
    <label class="field">From <input type="date" name="from" value="${p['from'] ?? ''}" /></label>
    <label class="field">To <input type="date" name="to" value="${p['to'] ?? ''}" /></label>
    <label class="field"
      >Source
      <select name="source">
        ${options(SOURCES, p['source'])}
      </select></label
    >
    ${
      view.hosts.length > 0 &&
      html`<label class="field"
        >Host
        <input type="text" name="host" value="${p['host'] ?? ''}" list="history-hosts" placeholder="any" />
        <datalist id="history-hosts">
          ${view.hosts.map((name) => html`<option value="${name}"></option>`)}
        </datalist>
      </label>`
    }
    <label class="field"
      >Sort by
      <select name="sort">
        ${options(SORTS, sortOf(p))}
      </select></label
    >
    <label class="field"
      >Order
      <select name="order">
        ${options(
          [
            ['desc', 'Largest / newest first'],
            ['asc', 'Smallest / oldest first'],
          ],
          orderOf(p),
        )}
      </select>
    </label>
    <div class="filter-actions">
      <button type="submit">Show</button>
      <a class="button-link" href="${ROUTES.history}">Clear</a>
    </div>
  </form>`;
}
