import { describe, expect, it } from 'vitest';
import type { BackfillProgress } from '../../src/shared/protocol.js';
import { renderBackfill } from '../../src/render/backfill.js';
import { makeSession } from './fixtures.js';
import { flat, makeMetrics, metricsPages, words } from './metrics-fixtures.js';

const GB = 1024 ** 3;
const reading: BackfillProgress = {
  filesDone: 120,
  filesTotal: 800,
  bytesDone: 1.2 * GB,
  bytesTotal: 3.4 * GB,
  done: false,
};

function banner(markup: string): string {
  const folded = flat(markup);
  const start = folded.indexOf('<div id="backfill"');
  return start < 0 ? '' : folded.slice(start, folded.indexOf('</div>', start) + '</div>'.length);
}

describe('backfill banner', () => {
  it('says how far the first read of Claude Code history has got, with a progress bar', () => {
    const markup = banner(renderBackfill(reading).toString());
    expect(words(markup)).toBe('Reading Claude Code history: 120 of 800 files, 1.2 GB of 3.4 GB');
    expect(markup).not.toMatch(/<div id="backfill"[^>]*hidden/);
    expect(markup).toContain(`<progress class="bar backfill-bar" max="${3.4 * GB}" value="${1.2 * GB}"`);
    expect(markup).toContain('hx-get="/fragments/backfill" hx-trigger="bc:backfill" hx-swap="outerHTML"');
  });

  it('counts files when the sizes are not known', () => {
    const progress = { ...reading, bytesDone: 0, bytesTotal: 0 };
    const markup = banner(renderBackfill(progress).toString());
    expect(words(markup)).toBe('Reading Claude Code history: 120 of 800 files');
    expect(markup).toContain('max="800" value="120"');
  });

  it('is hidden when the history has been read, or there is none to read', () => {
    for (const progress of [
      null,
      { ...reading, filesDone: 800, bytesDone: reading.bytesTotal, done: true },
    ]) {
      const markup = banner(renderBackfill(progress).toString());
      expect(markup).toMatch(/<div id="backfill" class="backfill" hidden/);
      expect(words(markup)).toBe('');
    }
  });

  it('shows on the dashboard, on session pages and as its own fragment', async () => {
    const session = makeSession();
    const { app } = metricsPages([session], { [session.id]: makeMetrics() }, () => reading);
    for (const url of ['/', `/sessions/${session.id}`, '/fragments/backfill']) {
      const res = await app.request(url);
      expect(res.status, url).toBe(200);
      expect(words(banner(await res.text())), url).toBe(
        'Reading Claude Code history: 120 of 800 files, 1.2 GB of 3.4 GB',
      );
    }
    const shell = flat(await (await app.request('/')).text());
    // First in the main landmark, and the shell is otherwise untouched.
    expect(shell).toContain('<main id="main" tabindex="-1"> <div id="backfill"');
    expect(shell).toContain('hx-get="/fragments/sessions?tab=active"');
  });

  it('is there but hidden when the server reads no history', async () => {
    const session = makeSession();
    const { app } = metricsPages([session], {});
    expect(banner(await (await app.request('/')).text())).toContain('hidden');
    expect(banner(await (await app.request('/fragments/backfill')).text())).toContain('hidden');
  });
});
