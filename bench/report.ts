/**
 * @module
 * Figures as the scenarios produce them, and the fixed-width table `npm run bench` prints:
 * figure, value, SPEC 8 target and verdict (`pass` / `short`; `-` for figures without one).
 */
import { verdict, type Verdict } from './stats.js';

export interface Figure {
  label: string;
  value: number | null;
  unit: string;
  /** The SPEC 8 target as printed, e.g. "<= 115 ms". */
  target?: string;
  verdict: Verdict;
}

export interface ScenarioResult {
  name: string;
  seconds: number;
  figures: Figure[];
  /** Everything measured, for `latest.json`. */
  details: Record<string, unknown>;
  /** Why the scenario did not finish, when it did not. */
  error?: string;
}

/** A figure without a target. */
export function info(label: string, value: number | null, unit: string): Figure {
  return { label, value, unit, verdict: 'info' };
}

/** A figure checked against a target (`value op limit`). */
export function goal(
  label: string,
  value: number | null,
  unit: string,
  op: '<=' | '>=' | '<',
  limit: number,
): Figure {
  return {
    label,
    value,
    unit,
    target: `${op} ${formatNumber(limit)}${unit ? ` ${unit}` : ''}`,
    verdict: verdict(value, op, limit),
  };
}

/** Numbers as the table shows them: integers with separators, small values with 1–2 decimals. */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 || Number.isInteger(value) ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const pad = (text: string, width: number) =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);
const padStart = (text: string, width: number) =>
  text.length >= width ? text : ' '.repeat(width - text.length) + text;

/** The whole report as fixed-width text, one block per scenario. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const rows = results.flatMap((result) => result.figures.map((figure) => figure.label));
  const labelWidth = Math.max(40, ...rows.map((label) => label.length)) + 2;
  const lines: string[] = [];
  const rule = '-'.repeat(labelWidth + 16 + 18 + 7);
  lines.push(pad('figure', labelWidth) + padStart('value', 14) + '  ' + pad('target', 18) + 'verdict');
  for (const result of results) {
    lines.push(rule);
    lines.push(
      `${result.name} (${Math.round(result.seconds)} s)${result.error ? `: FAILED: ${result.error}` : ''}`,
    );
    for (const figure of result.figures) {
      const value = `${formatNumber(figure.value)}${figure.unit && figure.value !== null ? ` ${figure.unit}` : ''}`;
      const mark = figure.verdict === 'info' ? '-' : figure.verdict;
      lines.push(
        pad(`  ${figure.label}`, labelWidth) +
          padStart(value, 14) +
          '  ' +
          pad(figure.target ?? '', 18) +
          mark,
      );
    }
  }
  lines.push(rule);
  const checked = results.flatMap((result) => result.figures).filter((figure) => figure.verdict !== 'info');
  const short = checked.filter((figure) => figure.verdict === 'short').length;
  lines.push(`${checked.length - short} of ${checked.length} targets met${short ? `, ${short} short` : ''}`);
  return lines.join('\n');
}
