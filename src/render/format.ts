/**
 * @module
 * Numbers only the server draws: token counts, dollars, percentages and shares. Times, ages,
 * freshness and sizes, which the browser client ticks or redraws too, live in
 * src/shared/format.ts so both sides word them alike.
 */
import { UNKNOWN } from '../shared/format.js';

function scaled(value: number, unit: number, suffix: string): string {
  const n = value / unit;
  // One decimal while it is informative (12.3k), none once the number is wide (123k).
  const text = n < 100 ? n.toFixed(1).replace(/\.0$/, '') : String(Math.round(n));
  return `${text}${suffix}`;
}

/** "950", "12.3k", "1.2M", "3.4B"; "—" when unknown. */
export function formatTokens(count: number | null): string {
  if (count === null || !Number.isFinite(count)) return UNKNOWN;
  const n = Math.max(0, count);
  if (n < 1000) return String(Math.round(n));
  // Round first so 999,950 reads "1M", not "1000k".
  if (n < 999_950) return scaled(n, 1000, 'k');
  if (n < 999_950_000) return scaled(n, 1_000_000, 'M');
  return scaled(n, 1_000_000_000, 'B');
}

/** "$0.42", "$12.30", "$1,234"; "<$0.01" for tiny non-zero costs; "—" when unknown. */
export function formatUsd(amount: number | null): string {
  if (amount === null || !Number.isFinite(amount)) return UNKNOWN;
  const n = Math.max(0, amount);
  if (n > 0 && n < 0.005) return '<$0.01';
  if (n < 1000) return `$${n.toFixed(2)}`;
  return `$${Math.round(n).toLocaleString('en-US')}`;
}

/** A percentage clamped to 0-100 and rounded: "42%"; "—" when unknown. */
export function formatPercent(percent: number | null): string {
  const value = clampPercent(percent);
  return value === null ? UNKNOWN : `${value}%`;
}

/** A percentage clamped to 0-100 and rounded, or null when unknown. */
export function clampPercent(percent: number | null): number | null {
  if (percent === null || !Number.isFinite(percent)) return null;
  return Math.round(Math.min(100, Math.max(0, percent)));
}

/** A part of a whole as a share: "42%", "<1%" for a sliver, "—" when the whole is empty. */
export function formatShare(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return UNKNOWN;
  const percent = (Math.max(0, part) / whole) * 100;
  if (percent > 0 && percent < 0.5) return '<1%';
  return `${Math.round(Math.min(100, percent))}%`;
}
