/**
 * ANSI colours in log lines, read once for both sides: plain segments that the server draws as
 * escaped spans and the browser client as elements with `textContent` and `className`.
 */
import { describe, expect, it } from 'vitest';
import { LOG_LINE_DISPLAY_CHARS, limitSegments, logLineSegments, parseAnsi } from '../../src/shared/ansi.js';

const ESC = '\x1b';

describe('parseAnsi', () => {
  it('turns SGR colours and bold into classes, and 0 and 39 back to plain', () => {
    expect(parseAnsi(`${ESC}[31mFAIL${ESC}[0m parses ${ESC}[1;92mok${ESC}[39m bold${ESC}[22m plain`)).toEqual(
      [
        { text: 'FAIL', classes: ['ansi-red'] },
        { text: ' parses ', classes: [] },
        { text: 'ok', classes: ['ansi-bright-green', 'ansi-bold'] },
        { text: ' bold', classes: ['ansi-bold'] },
        { text: ' plain', classes: [] },
      ],
    );
  });

  it('knows all sixteen foreground colours and treats ESC[m as a reset', () => {
    const names = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
    names.forEach((name, i) => {
      expect(parseAnsi(`${ESC}[${30 + i}mx`)).toEqual([{ text: 'x', classes: [`ansi-${name}`] }]);
      expect(parseAnsi(`${ESC}[${90 + i}mx`)).toEqual([{ text: 'x', classes: [`ansi-bright-${name}`] }]);
    });
    expect(parseAnsi(`${ESC}[1;31mred${ESC}[mplain`)).toEqual([
      { text: 'red', classes: ['ansi-red', 'ansi-bold'] },
      { text: 'plain', classes: [] },
    ]);
  });

  it('drops every other escape sequence without losing the text around it', () => {
    const line =
      `${ESC}[2K${ESC}[1Gstep 1` + // erase line, cursor to column 1
      `${ESC}]0;window title\x07 ` + // OSC title ended by BEL
      `${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\ ` + // OSC 8 hyperlink
      `${ESC}[38;5;31mindexed${ESC}[0m ` + // 256 colours: 31 is not red here
      `${ESC}[48;2;255;0;0mtrue-colour bg${ESC}[0m ` +
      `${ESC}[4munderline${ESC}[24m ${ESC}[?25lhidden cursor${ESC}(B${ESC}=end${ESC}[31`; // cut CSI at the end
    expect(parseAnsi(line)).toEqual([
      { text: 'step 1 link indexed true-colour bg underline hidden cursorend', classes: [] },
    ]);
  });

  it('drops control characters and direction overrides but keeps tabs and newlines', () => {
    expect(parseAnsi('a\x00b\x07c\bd\re\x7ff\x9bg\th\ni\u202ej\u2066k')).toEqual([
      { text: 'abcdefg\th\nijk', classes: [] },
    ]);
  });

  it('leaves markup as text: the page decides how it is drawn', () => {
    expect(parseAnsi(`${ESC}[31m<script>alert(1)</script>`)).toEqual([
      { text: '<script>alert(1)</script>', classes: ['ansi-red'] },
    ]);
  });

  it('cuts long lines for display without splitting a character, and says so', () => {
    const cut = limitSegments(
      [
        { text: 'abc', classes: ['ansi-red'] },
        { text: 'd😀e', classes: [] },
      ],
      5,
    );
    expect(cut).toEqual({
      segments: [
        { text: 'abc', classes: ['ansi-red'] },
        { text: 'd', classes: [] },
      ],
      truncated: true,
    });
    expect(limitSegments([{ text: 'abc', classes: [] }], 3)).toEqual({
      segments: [{ text: 'abc', classes: [] }],
      truncated: false,
    });
    const huge = logLineSegments(`${ESC}[33m${'x'.repeat(1024 * 1024)}`);
    expect(huge.truncated).toBe(true);
    expect(huge.segments).toEqual([{ text: 'x'.repeat(LOG_LINE_DISPLAY_CHARS), classes: ['ansi-yellow'] }]);
  });
});

describe('logLineSegments', () => {
  it('keeps a line up to the display limit whole, and cuts one character past it', () => {
    const fits = logLineSegments(`${ESC}[35m${'y'.repeat(LOG_LINE_DISPLAY_CHARS)}`);
    expect(fits).toEqual({
      segments: [{ text: 'y'.repeat(LOG_LINE_DISPLAY_CHARS), classes: ['ansi-magenta'] }],
      truncated: false,
    });
    const over = logLineSegments('y'.repeat(LOG_LINE_DISPLAY_CHARS + 1));
    expect(over.truncated).toBe(true);
    expect(over.segments.map((segment) => segment.text).join('')).toHaveLength(LOG_LINE_DISPLAY_CHARS);
  });

  it('counts only the text that is shown, not the escape codes around it', () => {
    const text = 'z'.repeat(LOG_LINE_DISPLAY_CHARS - 2);
    expect(logLineSegments(`${ESC}[1m${ESC}[31m${text}${ESC}[0m!`)).toEqual({
      segments: [
        { text, classes: ['ansi-red', 'ansi-bold'] },
        { text: '!', classes: [] },
      ],
      truncated: false,
    });
  });

  it('reads an empty line as nothing to draw', () => {
    expect(logLineSegments('')).toEqual({ segments: [], truncated: false });
  });
});
