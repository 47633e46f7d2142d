/**
 * Every colour pair of public/styles.css that puts text on a background, in the dark and the
 * light scheme, at WCAG AA (4.5:1). The page's custom properties are read from the file itself;
 * tests/browser/contrast.test.ts checks what the browser really draws on the pages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrastRatio, over, parseColor } from '../helpers/contrast.js';

const css = readFileSync(path.resolve(import.meta.dirname, '../../public/styles.css'), 'utf8');

/** The custom properties of a `:root` block. */
function properties(block: string): Map<string, string> {
  return new Map(
    [...block.matchAll(/--([a-z0-9-]+):\s*([^;]+);/g)].map(([, name = '', value = '']) => [
      name,
      value.trim(),
    ]),
  );
}

const darkBlock = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
const lightBlock = /prefers-color-scheme:\s*light\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
const schemes = {
  dark: properties(darkBlock),
  light: new Map([...properties(darkBlock), ...properties(lightBlock)]),
};

/** Text colours and the backgrounds each one is drawn on. */
const PAIRS: Array<[text: string, backgrounds: string[]]> = [
  ['text', ['bg', 'panel', 'panel-2']],
  ['muted', ['bg', 'panel', 'panel-2']],
  ['accent', ['bg', 'panel', 'panel-2']],
  ['running', ['panel', 'panel-2']],
  ['completed', ['panel', 'panel-2']],
  ['failed', ['panel', 'panel-2']],
  ['stalled', ['panel', 'panel-2']],
  ['green', ['panel', 'panel-2']],
  ['yellow', ['panel', 'panel-2']],
  ['red', ['panel', 'panel-2']],
  ...[
    'black',
    'red',
    'green',
    'yellow',
    'blue',
    'magenta',
    'cyan',
    'white',
    'bright-black',
    'bright-red',
    'bright-green',
    'bright-yellow',
    'bright-blue',
    'bright-magenta',
    'bright-cyan',
    'bright-white',
  ].map((name): [string, string[]] => [`ansi-${name}`, ['bg']]),
];

describe('colour contrast of the stylesheet', () => {
  for (const [scheme, values] of Object.entries(schemes)) {
    it(`holds 4.5:1 for every text colour on its backgrounds, ${scheme} scheme`, () => {
      expect(values.size).toBeGreaterThan(20);
      const failures: string[] = [];
      for (const [text, backgrounds] of PAIRS) {
        for (const background of backgrounds) {
          const bg = parseColor(values.get(background) ?? 'missing');
          const ratio = contrastRatio(over(parseColor(values.get(text) ?? 'missing'), bg), bg);
          if (ratio < 4.5) failures.push(`--${text} on --${background}: ${ratio.toFixed(2)}:1`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('computes the ratios WCAG gives', () => {
    const white = parseColor('#ffffff');
    expect(contrastRatio(parseColor('#000000'), white)).toBeCloseTo(21, 5);
    // The Completed badge before it was darkened: green #059669 on a white card.
    expect(contrastRatio(parseColor('rgb(5, 150, 105)'), white)).toBeCloseTo(3.77, 2);
    expect(parseColor('color(srgb 1 0 0 / 0.5)')).toEqual({ r: 1, g: 0, b: 0, a: 0.5 });
  });
});
