import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/shared/protocol.js';
import { LOG_LINE_DISPLAY_CHARS } from '../../src/shared/ansi.js';
import { LOG_TAIL_LINES, renderLogLines, renderLogTail } from '../../src/render/log-tail.js';
import { makeLogLine } from './fixtures.js';
import { flat, words } from './metrics-fixtures.js';

const SESSION = 'weather-app-20261120T140211Z';
const ESC = '\x1b';

const tail = (lines: LogLine[]): string => flat(renderLogTail(SESSION, lines).toString());
const items = (markup: string): string[] => markup.match(/<li class="log-line[\s\S]*?<\/li>/g) ?? [];
/** Control characters the page must never carry (tab and newline are text). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('log tail', () => {
  it('has the controls, and the lines as their own fragment refreshed on bc:logs', () => {
    const markup = tail([makeLogLine(1, 'Running unit tests')]);
    expect(markup).toMatch(/^<section id="log-tail" class="panel log-tail"/);
    expect(markup).toContain('<input type="checkbox" id="log-errors-only" /> Errors only');
    expect(markup).toMatch(
      /<button type="button" id="log-follow" class="log-follow" aria-pressed="true"[^>]*> Following <\/button>/,
    );
    expect(markup).toContain(
      `<ol id="log-lines" class="log-lines" data-session-id="${SESSION}" data-last-seq="1" tabindex="0"`,
    );
    expect(markup).toContain(
      `hx-get="/fragments/sessions/${SESSION}/logs" hx-trigger="bc:logs" hx-swap="outerHTML"`,
    );
    expect(markup).toContain('No error lines in this tail.');
  });

  it('shows the last 200 lines, newest at the bottom, each with its time and sequence number', () => {
    const lines = Array.from({ length: 250 }, (_, i) => makeLogLine(i + 1, `line ${i + 1}`));
    const markup = flat(renderLogLines(SESSION, lines).toString());
    const shown = items(markup);
    expect(shown).toHaveLength(LOG_TAIL_LINES);
    expect(words(shown[0]!)).toBe('13:59:51 line 51');
    expect(words(shown[shown.length - 1]!)).toBe('14:03:10 line 250');
    expect(markup).toContain('data-last-seq="250"');
    expect(shown[0]).toContain(
      '<time class="log-time" datetime="2026-11-20T13:59:51.000Z" data-local="clock" title="2026-11-20 13:59:51 UTC">',
    );
  });

  it('marks error and warning lines by class and in words', () => {
    const markup = tail([
      makeLogLine(1, 'compiled', { level: 'info' }),
      makeLogLine(2, 'deprecated API', { level: 'warn' }),
      makeLogLine(3, 'FAIL parses units', { level: 'error', source: 'events' }),
      makeLogLine(4, 'cache hit', { level: 'debug' }),
    ]);
    const [info, warn, error, debug] = items(markup);
    expect(info).toMatch(/^<li class="log-line log-info" data-seq="1" data-level="info" data-source="push">/);
    expect(warn).toContain('class="log-line log-warn"');
    expect(words(warn!)).toBe('13:59:02 warn deprecated API');
    expect(error).toContain('class="log-line log-error"');
    expect(error).toContain('data-source="events"');
    expect(error).toContain('<span class="log-level">error</span>');
    expect(debug).toContain('class="log-line log-debug"');
    expect(info).not.toContain('log-level');
  });

  it('draws ANSI colours as classes and drops other escapes and control characters', () => {
    const markup = tail([
      makeLogLine(1, `${ESC}[31mFAIL${ESC}[0m parses ${ESC}[1;32mok${ESC}[0m${ESC}[2K\x00\x07\r`),
    ]);
    const [line] = items(markup);
    expect(line).toContain(
      '<span class="log-text"><span class="ansi-red">FAIL</span> parses <span class="ansi-green ansi-bold">ok</span></span>',
    );
    expect(line).not.toMatch(CONTROL);
  });

  it('escapes a hostile line instead of running it', () => {
    const markup = tail([
      makeLogLine(1, '<script>alert(1)</script>', { source: '"><img src=x onerror=alert(2)>' }),
      makeLogLine(2, `${ESC}[31m</span></li><iframe src=javascript:alert(3)>`, { level: 'error' }),
    ]);
    for (const tag of ['<script', '<img', '<iframe', '</span></li><']) expect(markup).not.toContain(tag);
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain(
      '<span class="ansi-red">&lt;/span&gt;&lt;/li&gt;&lt;iframe src=javascript:alert(3)&gt;</span>',
    );
  });

  it('shows binary garbage and megabyte lines safely, cut with a marker', () => {
    const garbage = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const huge = 'x'.repeat(1024 * 1024);
    const markup = tail([makeLogLine(1, garbage), makeLogLine(2, huge)]);
    expect(markup.length).toBeLessThan(LOG_LINE_DISPLAY_CHARS + 10_000);
    const [binary, big] = items(markup);
    expect(binary).not.toMatch(CONTROL);
    expect(binary).toContain('&lt;=&gt;?@ABC');
    expect(big).toContain(
      `<span class="log-cut" title="${huge.length} characters; the rest is not shown">…</span>`,
    );
  });

  it('says honestly when there are no lines yet', () => {
    const markup = tail([]);
    expect(markup).toContain('data-last-seq="0"');
    expect(items(markup)).toEqual([]);
    expect(words(markup)).toContain(
      `No log lines yet. Lines pushed to /api/broadcast/${SESSION} and the build's event log show here as they come.`,
    );
  });
});
