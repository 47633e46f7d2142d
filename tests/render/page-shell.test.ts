/**
 * The page shell as a template (src/render/page-shell.ts): the real `public/dashboard.html`
 * parses, fills into whole pages, and a shell with a slot missing, doubled or unknown is refused
 * with a sentence that names it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { html, raw } from '../../src/render/html.js';
import { renderDashboardPage, renderPage } from '../../src/render/layout.js';
import { fillShell, parseShell, type PageShell } from '../../src/render/page-shell.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shellText = readFileSync(path.join(repoRoot, 'public', 'dashboard.html'), 'utf8');

function parsed(text: string): PageShell {
  const result = parseShell(text);
  if (!result.ok) throw new Error(result.problem);
  return result.shell;
}

const problemOf = (text: string): string => {
  const result = parseShell(text);
  return result.ok ? 'parsed' : result.problem;
};

/** A small shell with every slot, to break one at a time. */
const SMALL = [
  '<title>{{title}}</title><body {{body-attributes}}><main>',
  '<!-- {{#main}} -->{{banner}}<nav hx-get="{{tabs-path}}"></nav><section hx-get="{{list-path}}"></section><!-- {{/main}} -->',
  '</main></body>',
].join('');

describe('page shell', () => {
  it('parses the real shell and fills it as the dashboard on a tab, under the banner', () => {
    const page = renderDashboardPage(parsed(shellText), 'failed', html`<div id="backfill" hidden></div>`);
    const text = page.toString();
    expect(text).toContain('<title>buildcast</title>');
    expect(text).toMatch(/<body\s*>/);
    expect(text).toContain('hx-get="/fragments/tabs?tab=failed"');
    expect(text).toContain('hx-get="/fragments/sessions?tab=failed"');
    expect(text).toMatch(/<main id="main" tabindex="-1">\s*<div id="backfill" hidden><\/div>\s*<h1/);
    expect(text).not.toContain('{{');
    expect(text).not.toContain('#main}}');
  });

  it('puts another page’s content in place of the dashboard’s, with its title and body data', () => {
    const page = renderPage(parsed(shellText), {
      title: '<weather>',
      sessionId: 'run "1"',
      main: html`<p class="mine">Mine</p>`,
    }).toString();
    expect(page).toContain('<title>&lt;weather&gt; · buildcast</title>');
    expect(page).toContain('<body data-session-id="run &quot;1&quot;">');
    expect(page).toMatch(/<main id="main" tabindex="-1">\s*<p class="mine">Mine<\/p>\s*<\/main>/);
    expect(page).not.toContain('id="session-list"');
    // The head and header are the shell's own, once.
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page).toContain('id="connection"');
  });

  it('fills each slot where it stands', () => {
    const shell = parsed(SMALL);
    expect(shell.page.slots).toEqual(['title', 'body-attributes', 'main']);
    expect(shell.dashboard.slots).toEqual(['banner', 'tabs-path', 'list-path']);
    const main = fillShell(shell.dashboard, {
      banner: raw('B'),
      'tabs-path': raw('/t'),
      'list-path': raw('/l'),
    });
    expect(fillShell(shell.page, { title: raw('T'), 'body-attributes': raw(''), main }).toString()).toBe(
      '<title>T</title><body ><main>B<nav hx-get="/t"></nav><section hx-get="/l"></section></main></body>',
    );
  });

  it('refuses a shell with a slot missing, doubled, unknown or outside its place, and says which', () => {
    expect(problemOf(SMALL)).toBe('parsed');
    expect(problemOf(SMALL.replace('{{title}}', 'buildcast'))).toBe('has no {{title}} slot for every page');
    expect(problemOf(SMALL.replace('{{banner}}', ''))).toBe(
      'has no {{banner}} slot in the dashboard’s content',
    );
    expect(problemOf(SMALL.replace('{{banner}}', '{{banner}}{{banner}}'))).toBe(
      'has the {{banner}} slot 2 times in the dashboard’s content',
    );
    expect(problemOf(SMALL.replace('{{title}}', '{{titel}}'))).toContain('{{titel}}');
    expect(problemOf(SMALL.replace('{{title}}', '{{banner}}'))).toBe(
      'has a slot {{banner}} that does not belong outside the main section',
    );
    expect(problemOf(SMALL.replace('<!-- {{/main}} -->', ''))).toBe('has no closing {{/main}} inside <main>');
    expect(problemOf(SMALL.replace(/<!-- \{\{[#/]main\}\} -->/g, ''))).toContain('{{banner}}');
    expect(problemOf('<html></html>')).toBe('has no {{#main}} … {{/main}} section inside <main>');
    expect(problemOf(`${SMALL}<!-- {{/main}} -->`)).toContain('stray {{/main}}');
  });
});
