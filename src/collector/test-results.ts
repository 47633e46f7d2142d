/**
 * @module
 * Reads the test side files of a Context Foundry build (SPEC 1.4): `test-iteration-count.txt`
 * and `test-results-iteration-<N>.md`. A language model writes the results file, often pasting
 * the test runner's own output into it, so the counts are read from whatever is there: ✓/✗
 * list items, table rows, jest, vitest, pytest, mocha and go output, and summary lines such as
 * "12 passed, 2 failed". A summary line, when present, wins over counting single results.
 *
 * Pure: text in, values out; the caller reads the files.
 */
import type { TestIteration } from '../shared/metrics.js';
import { DEFAULT_MAX_BYTES, truncateText } from './json-text.js';
import { stripTrailingNoise, trailingResult, trimEmphasis } from './result-line.js';
import { readSummaryCounts } from './test-summary.js';
import type { TestCounts } from './test-summary.js';
import type { ParseProblem, Result } from './types.js';

/** At most this many failing test names are kept per iteration. */
export const MAX_FAILING_NAMES = 200;

/** Failing test names are cut to this many characters (ending in "…(truncated)"). */
export const MAX_TEST_NAME_LENGTH = 200;

const fail = (code: ParseProblem['code'], message: string): { ok: false; problem: ParseProblem } => ({
  ok: false,
  problem: { code, message },
});

// Terminal colours survive when a runner's output is pasted into the file.
// eslint-disable-next-line no-control-regex -- the escape character is what it matches
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- control characters mark binary data
const BINARY = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\ufffd]/;

/** Longer lines are only looked at up to here: no marker or summary sits further in. */
const LINE_WINDOW = 4096;

/**
 * Reads `test-iteration-count.txt`: a bare integer ("3\n"), or one with a label
 * ("Iteration: 3", "iteration 3 of 5", "3/5", `{"iteration": 3}`).
 */
export function parseTestIterationCount(text: string): Result<number> {
  if (text.length > 64 * 1024)
    return fail('too-large', `too large for an iteration count: ${text.length} characters`);
  const body = text.replace(/^\ufeff/, '').trim();
  if (body === '') return fail('empty', 'file is empty');
  if (BINARY.test(body)) return fail('invalid-fields', 'not text: the file holds binary data');
  const match =
    /^(\d+)(?:\s*(?:\/|of)\s*\d+)?$/i.exec(body) ??
    /^\{?\s*"?(?:test[_ ]?)?iterations?(?:[_ ]?count)?"?\s*[:=#]?\s*(\d+)\s*(?:(?:\/|of)\s*\d+)?\s*\}?$/i.exec(
      body,
    );
  const value = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(value)) {
    const shown = body.length > 40 ? `${body.slice(0, 37)}...` : body;
    return fail('invalid-fields', `expected a whole number of test iterations, got ${JSON.stringify(shown)}`);
  }
  return { ok: true, value };
}

/**
 * The iteration number in a results file's name (`test-results-iteration-3.md` → 3); a path
 * is fine. Null for any other name.
 */
export function testIterationFromFileName(name: string): number | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  const match = /^test[-_]results[-_]iteration[-_]?(\d{1,6})\.(?:md|markdown|txt)$/i.exec(base);
  return match ? Number(match[1]) : null;
}

type Status = 'pass' | 'fail';
interface TestLine {
  status: Status;
  name: string;
  /** How the line said it: a ✓/✗ symbol, a PASS/FAIL word, or a list item under a "Failed" heading. */
  by: 'symbol' | 'word' | 'section';
}

const PASS_SYMBOL = '✓✔✅☑√🟢';
const FAIL_SYMBOL = '✗✘✕✖×❌⨯🔴';
const SYMBOL = new RegExp(`^([${PASS_SYMBOL}${FAIL_SYMBOL}])\\ufe0f?\\s*`, 'u');
const STATUS_CELL = new RegExp(
  `^(?=.)[${PASS_SYMBOL}${FAIL_SYMBOL}]?\\ufe0f?\\s*(?:pass(?:ed)?|fail(?:ed|ure)?|ok)?$`,
  'iu',
);
// Bare PASS/FAIL words count only in capitals, so prose ("Failed tests were fixed") does not.
const LEAD_WORD =
  /^(?:\[(pass(?:ed)?|fail(?:ed)?|ok)\]|(PASS(?:ED)?|FAIL(?:ED|URE)?)(?=[\s:\-–—]|$))[\s:\-–—]*/i;
// Lines such as "Status: FAILED" or "| Total | Passed |" describe the run, not a test.
const NOT_A_TEST =
  /^(?:status|results?|overall|outcome|summary|tests?|total|verdict|state|conclusion|build)$/i;
const LIST_MARKUP = /^(?:(?:[-*+>]+|\d+[.)])\s+|-{2,}\s*)+/;

const statusOf = (word: string): Status => (/^(?:pass|ok|[✓✔✅☑√🟢])/iu.test(word) ? 'pass' : 'fail');

/** A test's name as written, without a reason after ": " or " - ", durations, or emphasis. */
function cleanName(raw: string): string {
  const name = trimEmphasis(stripTrailingNoise(raw.split(/:\s|\s[-–—]\s/)[0] ?? '')).trim();
  return truncateText(name, MAX_TEST_NAME_LENGTH);
}

const testLine = (status: Status, raw: string, by: TestLine['by']): TestLine | null => {
  const name = cleanName(raw);
  return name === '' || NOT_A_TEST.test(name) ? null : { status, name, by };
};

/** A summary in words, not a test: "✅ 15 passed, 0 failed", "❌ Tests: 2 failed". */
const looksLikeSummary = (rest: string): boolean =>
  /^(?:all\b|\d|tests?\b|total\b|summary\b|results?\b)/i.test(rest) && readSummaryCounts(rest) !== null;

const tableCells = (line: string): string[] =>
  line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.replace(/\*\*|`/g, '').trim());

/** "| test name | ✅ PASS | 12 ms |": the status cell and the first cell that is neither it nor a number. */
function fromTableRow(cells: string[]): TestLine | null {
  const at = cells.findIndex((cell) => STATUS_CELL.test(cell));
  if (at < 0) return null;
  const name = cells.find(
    (cell, i) => i !== at && !STATUS_CELL.test(cell) && !/^[\d.,\s%]*(?:ms|s)?$/i.test(cell),
  );
  return name === undefined ? null : testLine(statusOf(cells[at] ?? ''), name, 'symbol');
}

/** One test result on one line, or null when the line is something else. */
function readTestLine(line: string): TestLine | null {
  if (line.startsWith('|')) return fromTableRow(tableCells(line));
  const body = line.replace(LIST_MARKUP, '').replace(/\*\*/g, '');
  const symbol = SYMBOL.exec(body);
  if (symbol) {
    const rest = body.slice(symbol[0].length).replace(LEAD_WORD, '');
    return looksLikeSummary(rest) ? null : testLine(statusOf(symbol[1] ?? ''), rest, 'symbol');
  }
  const lead = LEAD_WORD.exec(body);
  const bracketed = lead?.[1] !== undefined;
  // The lead pattern is case-insensitive for "[pass]"; a bare word must be in capitals.
  if (lead && (bracketed || /^[A-Z]+$/.test(lead[2] ?? ''))) {
    const rest = body.slice(lead[0].length);
    // go test's package lines ("FAIL\tpkg\t0.01s") name a package, not a test.
    if (/^\d/.test(rest) || rest.includes('\t') || looksLikeSummary(rest)) return null;
    return testLine(statusOf(lead[1] ?? lead[2] ?? ''), rest, 'word');
  }
  const trimmed = stripTrailingNoise(body);
  const trail = trailingResult(trimmed);
  if (!trail || looksLikeSummary(trimmed)) return null;
  return testLine(statusOf(trail.word), trail.name, 'word');
}

/** The section a heading opens: results listed under "## Failed tests" are failures. */
function sectionOf(line: string): Status | null | undefined {
  const heading = /^(?:#{1,6}\s+(.+)|\*\*([^*]+)\*\*:?|([A-Za-z][\w ]{0,40}):)$/.exec(line);
  if (!heading) return undefined;
  const title = (heading[1] ?? heading[2] ?? heading[3] ?? '').toLowerCase();
  if (/fail|error|broken/.test(title)) return 'fail';
  return /pass|succe/.test(title) ? 'pass' : null;
}

interface Scan {
  found: TestLine[];
  summary: (TestCounts & { line: number }) | null;
}

/** Walks the file once, collecting single results and the last summary. */
function scan(text: string): Scan {
  const state: Scan = { found: [], summary: null };
  let section: Status | null = null;
  let header: string[] | null = null;
  let inFence = false;
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = (raw.length > LINE_WINDOW ? raw.slice(0, LINE_WINDOW) : raw).replace(ANSI, '').trim();
    if (line === '' || BINARY.test(line)) return;
    if (line.startsWith('```')) inFence = !inFence;
    if (!line.startsWith('|')) header = null;
    const heading = inFence ? undefined : sectionOf(line);
    let counts: TestCounts | null = null;
    const result = heading === undefined ? readTestLine(line) : null;
    if (heading !== undefined) {
      section = heading;
      counts = readSummaryCounts(line);
    } else if (result) {
      state.found.push(result);
    } else if (line.startsWith('|')) {
      const cells = tableCells(line);
      if (cells.every((cell) => /^:?-+:?$/.test(cell))) return;
      const numbers = cells.every((cell) => /^\d+$/.test(cell));
      // A summary table: a header row of labels and a row of numbers under it.
      if (numbers && header?.length === cells.length) {
        counts = readSummaryCounts(header.map((name, i) => `${name}: ${cells[i]}`).join(', '));
      } else counts = readSummaryCounts(line);
      if (cells.every((cell) => !/^\d+$/.test(cell))) header = cells;
    } else {
      counts = readSummaryCounts(line);
      const item = LIST_MARKUP.exec(line);
      if (!counts && item && section !== null && !inFence) {
        const listed = testLine(section, line.slice(item[0].length), 'section');
        if (listed) state.found.push(listed);
      }
    }
    if (counts) state.summary = mergeCounts(state.summary, counts, index);
  });
  return state;
}

/**
 * Reads `test-results-iteration-<N>.md`. The iteration comes from the file name (a problem
 * when the name is not a results file's). An empty or unrelated file gives `passed` and
 * `failed` null, not a problem. `failing` lists the failed tests the file names, in order,
 * without duplicates, at most {@link MAX_FAILING_NAMES}.
 */
export function parseTestResultsFile(fileName: string, text: string): Result<TestIteration> {
  const iteration = testIterationFromFileName(fileName);
  if (iteration === null) {
    return fail(
      'invalid-fields',
      `not a test results file name (expected test-results-iteration-<N>.md): ${fileName}`,
    );
  }
  if (text.length * 3 > DEFAULT_MAX_BYTES) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > DEFAULT_MAX_BYTES)
      return fail('too-large', `too large: ${bytes} bytes (limit ${DEFAULT_MAX_BYTES} bytes)`);
  }
  const { found, summary } = scan(text);
  const by = (kind: TestLine['by']): TestLine[] => found.filter((line) => line.by === kind);
  const chosen = [by('symbol'), by('word'), by('section')].find((lines) => lines.length > 0) ?? [];
  // A runner that prints each result twice (pytest's progress and its short summary) is counted
  // once per name; ✓/✗ lines are counted as written, as nested suites reuse titles.
  const counted = chosen[0]?.by === 'symbol' ? chosen : dedupeByName(chosen);
  const failingFrom = chosen.some((line) => line.status === 'fail') ? chosen : found;
  const failing = [...new Set(failingFrom.filter((line) => line.status === 'fail').map((line) => line.name))];
  const passedCount = counted.filter((line) => line.status === 'pass').length;
  const none = chosen.length === 0;
  return {
    ok: true,
    value: {
      iteration,
      passed: summary ? (summary.passed ?? (none ? null : passedCount)) : none ? null : passedCount,
      failed: summary ? summary.failed : none ? null : counted.length - passedCount,
      failing: failing.slice(0, MAX_FAILING_NAMES),
    },
  };
}

/** Mocha prints "12 passing" and "2 failing" on nearby lines: they are one summary. */
function mergeCounts(
  previous: (TestCounts & { line: number }) | null,
  next: TestCounts,
  line: number,
): TestCounts & { line: number } {
  if (previous && line - previous.line <= 3) {
    if (previous.passed === null && next.passed !== null && next.failed === 0) {
      return { passed: next.passed, failed: previous.failed, line };
    }
    if (previous.passed !== null && next.passed === null && previous.failed === 0) {
      return { passed: previous.passed, failed: next.failed, line };
    }
  }
  return { ...next, line };
}

function dedupeByName(lines: TestLine[]): TestLine[] {
  const seen = new Map<string, TestLine>();
  for (const line of lines) {
    const key = `${line.status}:${line.name}`;
    if (!seen.has(key)) seen.set(key, line);
  }
  return [...seen.values()];
}
