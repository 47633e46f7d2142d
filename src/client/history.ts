/**
 * @module
 * The browser side of the history pages (the pages forbid inline scripts, so this is loaded as a
 * module by the pages that need it):
 * - the history page's selection: runs are compared in the order they were picked, so the first
 *   picked is the baseline; Compare is enabled for 2 to 10 runs, and past 10 the rest are locked;
 * - the comparison's "differences only" switch keeps the address in step (`&diff=1`), so the view
 *   can be shared as it is; the switch itself works without this file (the stylesheet reads it);
 * - the delete page sends `DELETE /api/sessions/:id` (with the token when the page asks for one)
 *   and goes to the history page once it is done, or says what went wrong.
 */
import { IDS, QUERY, readData } from '../shared/dom.js';
import { comparePath } from '../shared/paths.js';

const MIN_RUNS = 2;
const MAX_RUNS = 10;

function setUpSelection(form: HTMLFormElement): void {
  const button = document.getElementById(IDS.compareButton) as HTMLButtonElement | null;
  const count = document.getElementById(IDS.compareCount);
  const boxes = () => [
    ...form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${QUERY.ids}"]`),
  ];
  // A page restored from the back button keeps its ticks; their order is then the page's.
  const picked: string[] = boxes()
    .filter((box) => box.checked)
    .map((box) => box.value);

  const update = (): void => {
    const n = picked.length;
    if (button) button.disabled = n < MIN_RUNS || n > MAX_RUNS;
    for (const box of boxes()) box.disabled = !box.checked && n >= MAX_RUNS;
    if (!count) return;
    const first = boxes().find((box) => box.value === picked[0]);
    const baseline = first ? `; the baseline is ${readData(first, 'runLabel') ?? first.value}` : '';
    const hint =
      n < MIN_RUNS ? `: pick ${MIN_RUNS - n} more` : n >= MAX_RUNS ? ' (the most one comparison takes)' : '';
    count.textContent = `${n} selected${hint}${baseline}.`;
  };

  form.addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.name !== QUERY.ids) return;
    const at = picked.indexOf(box.value);
    if (box.checked && at === -1) picked.push(box.value);
    if (!box.checked && at !== -1) picked.splice(at, 1);
    update();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (picked.length < MIN_RUNS || picked.length > MAX_RUNS) return;
    window.location.assign(comparePath(picked));
  });
  update();
}

function setUpDiffOnly(toggle: HTMLInputElement): void {
  toggle.addEventListener('change', () => {
    const url = new URL(window.location.href);
    if (toggle.checked) url.searchParams.set(QUERY.diff, '1');
    else url.searchParams.delete(QUERY.diff);
    window.history.replaceState(null, '', `${url.pathname}${url.search}`);
  });
}

function setUpDelete(form: HTMLFormElement): void {
  const message = document.getElementById(IDS.deleteMessage);
  const say = (text: string): void => {
    if (!message) return;
    message.textContent = text;
    message.hidden = false;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = readData(form, 'deleteUrl');
    const done = readData(form, 'doneUrl');
    if (!url || !done) return;
    const token = (document.getElementById(IDS.deleteToken) as HTMLInputElement | null)?.value ?? '';
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const button = form.querySelector('button[type="submit"]') as HTMLButtonElement | null;
    if (button) button.disabled = true;
    fetch(url, { method: 'DELETE', headers, credentials: 'same-origin' })
      .then(async (response) => {
        if (response.ok) {
          window.location.assign(done);
          return;
        }
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        say(`Not deleted: ${body?.error?.message ?? `the server answered ${response.status}`}.`);
        if (button) button.disabled = false;
      })
      .catch(() => {
        say('Not deleted: the server could not be reached.');
        if (button) button.disabled = false;
      });
  });
}

const selection = document.getElementById(IDS.compareForm);
if (selection instanceof HTMLFormElement) setUpSelection(selection);
const diffOnly = document.getElementById(IDS.diffOnly);
if (diffOnly instanceof HTMLInputElement) setUpDiffOnly(diffOnly);
const deleteForm = document.getElementById(IDS.deleteForm);
if (deleteForm instanceof HTMLFormElement) setUpDelete(deleteForm);
