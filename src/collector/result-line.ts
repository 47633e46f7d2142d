/**
 * @module
 * Reading the end of one test result line ("should add ... passed", "adds (12 ms)", "adds
 * PASSED") in time linear in the line. Patterns anchored only at the end (`\s*x$`) are retried
 * from every position by a backtracking engine, which is quadratic on a long run of spaces or
 * dots; so only a short tail is matched, and runs are stripped by hand.
 */

/** Durations and counts a runner prints after a test's name are short; only this much is looked at. */
const NOISE_TAIL = 64;

const TRAILING_NOISE =
  /\s*(?:[([]\s*\d+(?:\.\d+)?\s*(?:ms|s|sec|secs|seconds|m|min|%)\s*[)\]]|[([]\d+ tests?[^)\]]*[)\]]|\d+(?:\.\d+)?\s*ms)$/i;

const RESULT_WORD = /(?:passed|failed|pass|fail|ok)$/i;
const CAPITAL_WORD = /^(?:PASSED|FAILED|PASS|FAIL|OK)$/;
const SEPARATOR = /[:\-–—]$/;

/** Drops durations and counts from the end: "adds (12 ms)" → "adds", "adds 3.5ms" → "adds". */
export function stripTrailingNoise(text: string): string {
  let result = text.trim();
  for (;;) {
    const tail = result.slice(-NOISE_TAIL);
    const match = TRAILING_NOISE.exec(tail);
    if (match === null) return result;
    result = result.slice(0, result.length - tail.length + match.index).trim();
  }
}

/**
 * A result stated after the name: "name ... passed", "name: fail", "name — ok" (any case,
 * after dots or a separator) or "name PASSED" (capitals, after a space). The name and the word,
 * or null when the line does not end that way.
 */
export function trailingResult(text: string): { name: string; word: string } | null {
  const tail = text.slice(-6);
  const found = RESULT_WORD.exec(tail);
  if (found === null) return null;
  const word = found[0];
  const before = text.slice(0, text.length - word.length);
  const spaced = before.trimEnd();
  let dots = 0;
  while (dots < spaced.length && spaced.charCodeAt(spaced.length - 1 - dots) === 0x2e) dots++;
  const separated = dots >= 2 ? spaced.slice(0, -dots) : SEPARATOR.test(spaced) ? spaced.slice(0, -1) : null;
  const name = separated?.trimEnd() ?? '';
  if (name !== '') return { name, word };
  if (CAPITAL_WORD.test(word) && spaced.length < before.length && spaced !== '') {
    return { name: spaced, word };
  }
  return null;
}

const EMPHASIS = new Set(['*', '_', '`', '"', "'"]);

/** Drops emphasis and quotes around a name: "**adds**" → "adds", "`adds`" → "adds". */
export function trimEmphasis(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EMPHASIS.has(text[start]!)) start++;
  while (end > start && EMPHASIS.has(text[end - 1]!)) end--;
  return text.slice(start, end);
}
