/**
 * @module
 * ANSI colours in log lines, read into plain styled segments. Only SGR colours and bold are
 * kept: foreground 30–37 and 90–97, 39 (default colour), 1 (bold), 22 (normal weight) and 0
 * (reset). Every other escape sequence (cursor moves, titles, hyperlinks, 256-colour and
 * true-colour codes) and every control character except tab and newline is dropped, so binary
 * garbage shows as harmless text.
 *
 * One parser for both sides, so a line reads the same on the first render as after a live
 * update: the server turns segments into escaped spans (src/render/ansi.ts), the browser
 * client into elements with `textContent` and `className` (src/client/log-tail.ts). Pure, with
 * neither DOM nor Node types, because both builds compile it.
 */

/** A run of text and the classes it is drawn with (`ansi-red`, `ansi-bright-cyan`, `ansi-bold`). */
export interface AnsiSegment {
  text: string;
  classes: string[];
}

const COLOURS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

/**
 * Escape sequences, then single control characters. CSI (`ESC [`), OSC (`ESC ]`, ended by BEL
 * or `ESC \`), DCS/SOS/PM/APC strings, a CSI cut off at the end of the line, other two-byte
 * escapes, C0/C1 controls but tab and newline, and the bidirectional overrides that could make
 * a line read differently from what it holds.
 */
const TOKENS =
  // eslint-disable-next-line no-control-regex
  /\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\[[0-?]*[ -/]*$|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)|\x1b[PX^_][^\x1b]*(?:\x1b\\|$)|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

interface Style {
  colour: string | null;
  bold: boolean;
}

function applySgr(params: string, style: Style): void {
  // Parameters with private markers (`<=>?`) are not SGR colours.
  if (!/^[\d;:]*$/.test(params)) return;
  const codes = params === '' ? [0] : params.split(/[;:]/).map((part) => (part === '' ? 0 : Number(part)));
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0;
    if (code === 0) {
      style.colour = null;
      style.bold = false;
    } else if (code === 1) style.bold = true;
    else if (code === 22) style.bold = false;
    else if (code >= 30 && code <= 37) style.colour = COLOURS[code - 30] ?? null;
    else if (code >= 90 && code <= 97) style.colour = `bright-${COLOURS[code - 90] ?? 'white'}`;
    else if (code === 39) style.colour = null;
    else if (code === 38 || code === 48 || code === 58) {
      // Extended colours carry their own numbers, which must not be read as codes: 5;n or 2;r;g;b.
      const kind = codes[i + 1];
      i += kind === 5 ? 2 : kind === 2 ? 4 : 0;
    }
  }
}

function classesOf(style: Style): string[] {
  const classes: string[] = [];
  if (style.colour !== null) classes.push(`ansi-${style.colour}`);
  if (style.bold) classes.push('ansi-bold');
  return classes;
}

/** Splits a line into styled segments; adjacent text of the same style is one segment. */
export function parseAnsi(input: string): AnsiSegment[] {
  const segments: AnsiSegment[] = [];
  const style: Style = { colour: null, bold: false };
  const push = (text: string): void => {
    if (text === '') return;
    const classes = classesOf(style);
    const last = segments[segments.length - 1];
    if (last && last.classes.join(' ') === classes.join(' ')) last.text += text;
    else segments.push({ text, classes });
  };
  let at = 0;
  for (const match of input.matchAll(TOKENS)) {
    push(input.slice(at, match.index));
    at = match.index + match[0].length;
    if (match[3] === 'm' && match[2] === '') applySgr(match[1] ?? '', style);
  }
  push(input.slice(at));
  return segments;
}

/**
 * The first `max` characters of the segments, and whether anything was cut (the page then shows
 * a "…" marker). A cut never splits a surrogate pair.
 */
export function limitSegments(
  segments: readonly AnsiSegment[],
  max: number,
): { segments: AnsiSegment[]; truncated: boolean } {
  const kept: AnsiSegment[] = [];
  let left = Math.max(0, max);
  for (const segment of segments) {
    if (segment.text.length <= left) {
      kept.push(segment);
      left -= segment.text.length;
      continue;
    }
    let end = left;
    const code = segment.text.charCodeAt(end - 1);
    if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1;
    if (end > 0) kept.push({ text: segment.text.slice(0, end), classes: segment.classes });
    return { segments: kept, truncated: true };
  }
  return { segments: kept, truncated: false };
}

/** Characters of one log line drawn on the page; the rest is marked with "…". */
export const LOG_LINE_DISPLAY_CHARS = 1000;

/**
 * A line's text as the page draws it: parsed, cut to {@link LOG_LINE_DISPLAY_CHARS}. Text far
 * beyond the limit is not even parsed, so a megabyte line costs no more than a long one.
 */
export function logLineSegments(text: string): { segments: AnsiSegment[]; truncated: boolean } {
  const scanned = text.length > LOG_LINE_DISPLAY_CHARS * 4 ? text.slice(0, LOG_LINE_DISPLAY_CHARS * 4) : text;
  const limited = limitSegments(parseAnsi(scanned), LOG_LINE_DISPLAY_CHARS);
  return { segments: limited.segments, truncated: limited.truncated || scanned.length < text.length };
}
