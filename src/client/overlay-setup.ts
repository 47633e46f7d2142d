/**
 * @module
 * The overlay setup page as it is changed: each change of the form rewrites the URL for OBS and
 * its width and height, points the preview at the new overlay at its true size over the chosen
 * backdrop, and keeps the page's own address in step (a reload keeps the choices). The Copy
 * buttons put a field's text on the clipboard.
 */
import {
  BACKDROP_QUERY,
  BACKDROPS,
  OVERLAY_DATA,
  OVERLAY_IDS,
  OVERLAY_ROUTES,
} from '../shared/overlay-dom.js';
import { overlayQuery, overlaySize, parseOverlayParams } from '../shared/overlay-params.js';

const form = document.getElementById(OVERLAY_IDS.setupForm);

function setField(id: string, value: string): void {
  const field = document.getElementById(id);
  if (field instanceof HTMLInputElement && field.value !== value) field.value = value;
}

function update(form: HTMLFormElement): void {
  const data = new FormData(form);
  // Ticked boxes repeat `panels`; the overlay's URL names them in one list.
  const params = parseOverlayParams((name) => data.getAll(name).map(String).join(',') || null);
  const token = form.getAttribute(OVERLAY_DATA.overlayToken);
  const path = `${OVERLAY_ROUTES.page}?${overlayQuery(params, token)}`;
  const { width, height } = overlaySize(params);
  setField(OVERLAY_IDS.url, `${location.origin}${path}`);
  setField(OVERLAY_IDS.width, String(width));
  setField(OVERLAY_IDS.height, String(height));

  const frame = document.getElementById(OVERLAY_IDS.previewFrame);
  if (frame instanceof HTMLIFrameElement) {
    if (frame.getAttribute('src') !== path) frame.setAttribute('src', path);
    frame.width = String(width);
    frame.height = String(height);
  }
  const backdrop = String(data.get(BACKDROP_QUERY) ?? 'dark');
  const preview = document.getElementById(OVERLAY_IDS.preview);
  if (preview) {
    for (const choice of BACKDROPS) preview.classList.toggle(`backdrop-${choice}`, choice === backdrop);
  }
  history.replaceState(
    null,
    '',
    `${OVERLAY_ROUTES.setup}?${overlayQuery(params)}&${BACKDROP_QUERY}=${backdrop}`,
  );
}

/** Copies a field's text; where the clipboard is not offered (plain http off this machine), selects it. */
async function copy(button: HTMLElement): Promise<void> {
  const field = document.getElementById(button.getAttribute(OVERLAY_DATA.copy) ?? '');
  if (!(field instanceof HTMLInputElement)) return;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = 'Copied';
  } catch {
    field.focus();
    field.select();
    button.textContent = 'Press Ctrl+C';
  }
}

if (form instanceof HTMLFormElement) {
  form.addEventListener('change', () => update(form));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update(form);
  });
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest(`[${OVERLAY_DATA.copy}]`) : null;
    if (button instanceof HTMLElement) void copy(button);
  });
  document.addEventListener('focusout', (event) => {
    if (event.target instanceof HTMLElement && event.target.hasAttribute(OVERLAY_DATA.copy))
      event.target.textContent = 'Copy';
  });
}
