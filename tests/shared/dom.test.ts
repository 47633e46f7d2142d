/**
 * The DOM contract (src/shared/dom.ts) and the one place it cannot reach by import: the static
 * page shell, `public/dashboard.html`. A name renamed in the contract but not in the shell (or the
 * other way round) fails here instead of silently stopping the page's live updates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATA, EVENTS, IDS, ROUTES } from '../../src/shared/dom.js';
import { cardFragmentPath, listFragmentPath, sessionPath, tabsFragmentPath } from '../../src/shared/paths.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shell = readFileSync(path.join(repoRoot, 'public', 'dashboard.html'), 'utf8');

/** The start tags of the shell, each with its attributes (comments left out). */
function startTags(markup: string): { tag: string; attributes: Map<string, string> }[] {
  const text = markup.replace(/<!--[\s\S]*?-->/g, '');
  return [...text.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/g)].map(([, tag = '', rest = '']) => ({
    tag,
    attributes: new Map(
      [...rest.matchAll(/([a-z][a-z0-9-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map(
        ([, name = '', double, single]) => [name, double ?? single ?? ''],
      ),
    ),
  }));
}

const tags = startTags(shell);
const byId = (id: string) => tags.find((tag) => tag.attributes.get('id') === id);
/** The `bc:*` events an element's `hx-trigger` listens for. */
const eventsOf = (id: string): string[] =>
  (byId(id)?.attributes.get('hx-trigger') ?? '').match(/bc:[a-z-]+/g) ?? [];

const values = (object: Record<string, string>): string[] => Object.values(object);

describe('the DOM contract', () => {
  it('names every id, event and data attribute once', () => {
    for (const names of [values(IDS), values(EVENTS), values(DATA)]) {
      expect(new Set(names).size).toBe(names.length);
    }
    expect(values(EVENTS).every((event) => event.startsWith('bc:'))).toBe(true);
  });

  it('keys each data attribute by the name the DOM gives it in `dataset`', () => {
    for (const [key, attribute] of Object.entries(DATA)) {
      const kebab = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      expect(attribute).toBe(`data-${kebab}`);
    }
  });

  it('builds the URLs of the routes it names, with ids percent-encoded', () => {
    expect(sessionPath('a b/c')).toBe('/sessions/a%20b%2Fc');
    expect(cardFragmentPath('x"y')).toBe('/fragments/cards/x%22y');
    expect(tabsFragmentPath('failed')).toBe(`${ROUTES.tabsFragment}?tab=failed`);
    expect(listFragmentPath('all', { cursor: '50', withTabs: true })).toBe(
      '/fragments/sessions?tab=all&cursor=50&tabs=1',
    );
  });
});

describe('the page shell', () => {
  it('carries the ids the client looks up before any fragment arrives', () => {
    for (const id of [IDS.main, IDS.connection, IDS.heartbeat, IDS.tabs, IDS.sessionList]) {
      expect(byId(id), `#${id}`).toBeDefined();
    }
    expect(
      tags.find((tag) => tag.tag === 'a' && tag.attributes.get('href') === `#${IDS.main}`),
    ).toBeDefined();
    expect(byId(IDS.connection)?.attributes.has(DATA.conn)).toBe(true);
  });

  it('has its tab bar and list listen for the events the client fires at them', () => {
    expect(eventsOf(IDS.tabs).sort()).toEqual([EVENTS.list, EVENTS.tabs].sort());
    expect(eventsOf(IDS.sessionList)).toEqual([EVENTS.list]);
  });

  it('uses no id, event or data attribute the contract does not name', () => {
    const ids = tags.flatMap((tag) => tag.attributes.get('id') ?? []);
    for (const id of ids) expect(values(IDS), `#${id}`).toContain(id);
    for (const event of shell.replace(/<!--[\s\S]*?-->/g, '').match(/bc:[a-z-]+/g) ?? [])
      expect(values(EVENTS), event).toContain(event);
    const data = tags.flatMap((tag) => [...tag.attributes.keys()].filter((name) => name.startsWith('data-')));
    for (const attribute of data) expect(values(DATA), attribute).toContain(attribute);
  });
});
