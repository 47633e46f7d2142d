/**
 * @module
 * The overlay's setup page (`/overlay/setup`, SPEC 5): pick the layout, panels, theme, scale and
 * session, see the overlay live at its true size over a dark or a light backdrop, and copy the
 * URL and the width and height an OBS Browser Source needs. A plain form that works without
 * script (it reloads the page); src/client/overlay-setup.ts updates it as it is changed.
 */
import {
  BACKDROP_QUERY,
  BACKDROPS,
  OVERLAY_DATA,
  OVERLAY_IDS,
  OVERLAY_ROUTES,
  type Backdrop,
} from '../shared/overlay-dom.js';
import {
  LAYOUT_SIZES,
  LAYOUTS,
  OVERLAY_QUERY,
  PANELS,
  SCALE,
  THEMES,
  overlayQuery,
  overlaySize,
  selectorText,
  type OverlayParams,
} from '../shared/overlay-params.js';
import { html, type SafeHtml } from './html.js';

export interface OverlaySetup {
  params: OverlayParams;
  /** `http://host:port` as the browser reached this page. */
  origin: string;
  /** The overlay token the URL carries, when there is one. */
  overlayToken: string | null;
  /** Whether the token was made at start (and so changes at the next). */
  tokenGenerated: boolean;
  /** Why the overlay is redacted whatever the box says, or null. */
  alwaysRedacted: string | null;
  /** The choices for `session=`: `latest`, each project, each recent run. */
  sessions: ReadonlyArray<{ value: string; label: string }>;
  backdrop: Backdrop;
}

const PANEL_LABELS: Readonly<Record<(typeof PANELS)[number], string>> = {
  phase: 'Phase and activity',
  pipeline: 'Pipeline',
  tests: 'Tests',
  tokens: 'Tokens',
  cost: 'Cost',
  agents: 'Agents',
  log: 'Log',
};

const scales = (): number[] => {
  const steps: number[] = [];
  for (let scale: number = SCALE.min; scale <= SCALE.max; scale += SCALE.step) steps.push(scale);
  return steps;
};

const selected = (yes: boolean) => yes && html`selected`;
const checked = (yes: boolean) => yes && html`checked`;

/** A radio button or check box with its label. */
function choice(
  type: 'radio' | 'checkbox',
  name: string,
  value: string,
  on: boolean,
  label: SafeHtml,
): SafeHtml {
  return html`<label class="setup-choice"
    ><input type="${type}" name="${name}" value="${value}" ${checked(on)} /> ${label}</label
  >`;
}

function copyField(id: string, label: string, value: string | number, wide = false): SafeHtml {
  return html`<div class="setup-copy">
    <label for="${id}">${label}</label>
    <input id="${id}" class="${wide ? 'setup-url' : 'setup-size'}" type="text" readonly value="${value}" />
    <button type="button" class="setup-copy-button" ${OVERLAY_DATA.copy}="${id}">Copy</button>
  </div>`;
}

function form(setup: OverlaySetup): SafeHtml {
  const { params } = setup;
  const session = selectorText(params.session);
  const layouts = LAYOUTS.map((layout) => {
    const { width, height } = LAYOUT_SIZES[layout];
    const label = html`${layout} <span class="muted">${width}×${height}</span>`;
    return choice('radio', OVERLAY_QUERY.layout, layout, layout === params.layout, label);
  });
  const panels = PANELS.map((panel) =>
    choice(
      'checkbox',
      OVERLAY_QUERY.panels,
      panel,
      params.panels.includes(panel),
      html`${PANEL_LABELS[panel]}`,
    ),
  );
  const sessions = setup.sessions.some((option) => option.value === session)
    ? setup.sessions
    : [...setup.sessions, { value: session, label: session }];
  return html`<form
    id="${OVERLAY_IDS.setupForm}"
    class="setup-form"
    method="get"
    action="${OVERLAY_ROUTES.setup}"
    ${setup.overlayToken !== null && html`${OVERLAY_DATA.overlayToken}="${setup.overlayToken}"`}
  >
    <fieldset>
      <legend>Layout</legend>
      ${layouts}
    </fieldset>
    <fieldset>
      <legend>Panels</legend>
      ${panels}
    </fieldset>
    <fieldset class="setup-row">
      <legend>Look and build</legend>
      <label
        >Session
        <select name="${OVERLAY_QUERY.session}">
          ${sessions.map(
            (option) =>
              html`<option value="${option.value}" ${selected(option.value === session)}>
                ${option.label}
              </option>`,
          )}
        </select></label
      >
      <label
        >Theme
        <select name="${OVERLAY_QUERY.theme}">
          ${THEMES.map((theme) => html`<option value="${theme}" ${selected(theme === params.theme)}>${theme}</option>`)}
        </select></label
      >
      <label
        >Scale
        <select name="${OVERLAY_QUERY.scale}">
          ${scales().map((scale) => html`<option value="${scale}" ${selected(scale === params.scale)}>${scale}×</option>`)}
        </select></label
      >
      <label
        ><input type="checkbox" name="${OVERLAY_QUERY.redact}" value="1" ${checked(params.redact)} /> Redact
        paths, addresses and secrets</label
      >
      <label
        >Preview over
        <select name="${BACKDROP_QUERY}">
          ${BACKDROPS.map((backdrop) => html`<option value="${backdrop}" ${selected(backdrop === setup.backdrop)}>${backdrop}</option>`)}
        </select></label
      >
    </fieldset>
    <noscript><button type="submit">Update the preview</button></noscript>
  </form>`;
}

/** The setup page's content, for the page shell's `main`. */
export function renderOverlaySetup(setup: OverlaySetup): SafeHtml {
  const { params } = setup;
  const query = overlayQuery(params, setup.overlayToken);
  const path = `${OVERLAY_ROUTES.page}?${query}`;
  const { width, height } = overlaySize(params);
  return html`<link rel="stylesheet" href="${OVERLAY_ROUTES.setupStylesheet}" />
    <section class="overlay-setup">
      <h1>Stream overlay</h1>
      <p class="muted">
        Add a <strong>Browser Source</strong> in OBS with this URL, width and height. Its background is
        transparent; it shows the build on screen at once when OBS reloads it, and goes live from there.
      </p>
      ${form(setup)}
      <div class="setup-output">
        ${copyField(OVERLAY_IDS.url, 'URL', `${setup.origin}${path}`, true)}
        ${copyField(OVERLAY_IDS.width, 'Width', width)} ${copyField(OVERLAY_IDS.height, 'Height', height)}
      </div>
      ${
        setup.overlayToken !== null &&
        html`<p class="setup-note">
          The URL carries an overlay token: it opens this overlay, redacted, and nothing else.
          ${
            setup.tokenGenerated
              ? 'It was made when buildcast started and changes at the next start.'
              : 'Start buildcast with another --overlay-token to change it.'
          }
        </p>`
      }
      ${setup.alwaysRedacted !== null && html`<p class="setup-note">Always redacted: ${setup.alwaysRedacted}.</p>`}
      <div id="${OVERLAY_IDS.preview}" class="setup-preview backdrop-${setup.backdrop}">
        <iframe
          id="${OVERLAY_IDS.previewFrame}"
          src="${path}"
          width="${width}"
          height="${height}"
          title="The overlay at its true size"
        ></iframe>
      </div>
    </section>
    <script type="module" src="${OVERLAY_ROUTES.setupScript}"></script>`;
}
