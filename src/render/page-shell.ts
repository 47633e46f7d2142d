/**
 * @module
 * The one page shell, `public/dashboard.html`, as a typed template. The file is the dashboard's
 * page and the frame of every other page: its head, header and scripts are written once, there.
 * It marks its slots in double braces:
 *
 * - `title` (the document title), `body-attributes` (the page's data attributes on `<body>`) and
 *   `main` (the content of `<main>`), which every page fills;
 * - `main` is a section, opened and closed by comments holding `#main` and `/main`: what it
 *   encloses is the dashboard's own content, with its slots `banner` (the history banner),
 *   `tabs-path` and `list-path` (the fragments of the tab in the address). Other pages put their
 *   content in its place.
 *
 * The server reads the file once at start and parses it here; a slot missing, repeated or
 * unknown is a problem reported then, not a page that quietly lacks a part. Pure: text in,
 * template out, and filling a template is string joining.
 */
import { raw, type SafeHtml } from './html.js';

/** The slots every page fills. */
const PAGE_SLOTS = ['title', 'body-attributes', 'main'] as const;
/** The slots of the dashboard's own content, inside the `main` section. */
const DASHBOARD_SLOTS = ['banner', 'tabs-path', 'list-path'] as const;

export type PageSlot = (typeof PAGE_SLOTS)[number];
export type DashboardSlot = (typeof DASHBOARD_SLOTS)[number];

/** Text split at slots: `chunks[i]` comes before `slots[i]`, and one chunk more ends it. */
export interface ShellPart<Slot extends string> {
  readonly chunks: readonly string[];
  readonly slots: readonly Slot[];
}

/** The parsed shell: the page around `main`, and the dashboard's content of `main`. */
export interface PageShell {
  readonly page: ShellPart<PageSlot>;
  readonly dashboard: ShellPart<DashboardSlot>;
}

export type ShellParse = { ok: true; shell: PageShell } | { ok: false; problem: string };

/** A section marker is a whole comment (`<!-- {{#main}} … -->`); a value slot is `{{name}}`. */
const TOKEN = /<!--\s*\{\{([#/])([a-z-]+)\}\}[\s\S]*?-->|\{\{([^{}]*)\}\}/g;

interface Building<Slot extends string> {
  chunks: string[];
  slots: Slot[];
  allowed: readonly Slot[];
}

const isSlot = <Slot extends string>(name: string, allowed: readonly Slot[]): name is Slot =>
  allowed.some((slot) => slot === name);

/** What is wrong with a part's slots, or null: each one exactly once. */
function slotProblem<Slot extends string>(part: Building<Slot>, where: string): string | null {
  for (const slot of part.allowed) {
    const count = part.slots.filter((seen) => seen === slot).length;
    if (count === 0) return `has no {{${slot}}} slot ${where}`;
    if (count > 1) return `has the {{${slot}}} slot ${count} times ${where}`;
  }
  return null;
}

/** Splits the shell at its slots, or says which slot is missing, repeated, unknown or misplaced. */
export function parseShell(text: string): ShellParse {
  const page: Building<PageSlot> = { chunks: [], slots: [], allowed: PAGE_SLOTS };
  const dashboard: Building<DashboardSlot> = { chunks: [], slots: [], allowed: DASHBOARD_SLOTS };
  let section: 'before' | 'inside' | 'after' = 'before';
  let current: Building<PageSlot> | Building<DashboardSlot> = page;
  let from = 0;
  for (const match of text.matchAll(TOKEN)) {
    const [token, mark, sectionName, slotName = ''] = match;
    current.chunks.push(text.slice(from, match.index));
    from = match.index + token.length;
    if (mark !== undefined) {
      if (sectionName !== 'main')
        return { ok: false, problem: `has an unknown section {{${mark}${sectionName}}}` };
      if (mark === '#' && section === 'before') {
        page.slots.push('main');
        [section, current] = ['inside', dashboard];
      } else if (mark === '/' && section === 'inside') {
        [section, current] = ['after', page];
      } else {
        return {
          ok: false,
          problem: `has a stray {{${mark}main}}: the main section opens once and closes once`,
        };
      }
    } else if (current === dashboard && isSlot(slotName, DASHBOARD_SLOTS)) {
      dashboard.slots.push(slotName);
    } else if (current === page && slotName !== 'main' && isSlot(slotName, PAGE_SLOTS)) {
      page.slots.push(slotName);
    } else {
      const where = current === dashboard ? 'inside the main section' : 'outside the main section';
      return { ok: false, problem: `has a slot {{${slotName}}} that does not belong ${where}` };
    }
  }
  current.chunks.push(text.slice(from));
  if (section !== 'after') {
    const missing = section === 'before' ? '{{#main}} … {{/main}} section' : 'closing {{/main}}';
    return { ok: false, problem: `has no ${missing} inside <main>` };
  }
  const problem = slotProblem(page, 'for every page') ?? slotProblem(dashboard, 'in the dashboard’s content');
  if (problem !== null) return { ok: false, problem };
  return { ok: true, shell: { page, dashboard } };
}

/** The part with each slot filled. The shell is buildcast's own file; every value is safe markup. */
export function fillShell<Slot extends string>(
  part: ShellPart<Slot>,
  values: Readonly<Record<Slot, SafeHtml>>,
): SafeHtml {
  let out = part.chunks[0] ?? '';
  part.slots.forEach((slot, i) => {
    out += values[slot].toString() + (part.chunks[i + 1] ?? '');
  });
  return raw(out);
}
