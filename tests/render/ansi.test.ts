/** The server draws the shared ANSI segments (src/shared/ansi.ts) as escaped spans. */
import { describe, expect, it } from 'vitest';
import { LOG_LINE_DISPLAY_CHARS } from '../../src/shared/ansi.js';
import { renderAnsi } from '../../src/render/ansi.js';

const ESC = '\x1b';

describe('renderAnsi', () => {
  it('draws segments as escaped spans with the classes, and marks a cut line', () => {
    expect(renderAnsi(`${ESC}[31m<b>red</b>${ESC}[0m & plain`).toString()).toBe(
      '<span class="ansi-red">&lt;b&gt;red&lt;/b&gt;</span> &amp; plain',
    );
    const long = renderAnsi('z'.repeat(LOG_LINE_DISPLAY_CHARS + 1)).toString();
    expect(long).toMatch(/z<span class="log-cut" title="1001 characters; the rest is not shown">…<\/span>$/);
  });

  it('drops escape codes and control characters from what it draws', () => {
    expect(renderAnsi(`${ESC}]0;title\x07${ESC}[2Kstep\x00 1`).toString()).toBe('step 1');
  });
});
