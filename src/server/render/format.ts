/**
 * @module
 * Numbers and times as people read them on a dashboard. The browser client ticks the same
 * formats every second (src/client/format.ts), so the two must agree; tests pin both shapes.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Under this age the freshness stamp is green, under {@link FRESH_YELLOW_MS} yellow, else red (SPEC 2). */
export const FRESH_GREEN_MS = 5 * SECOND;
export const FRESH_YELLOW_MS = 30 * SECOND;

/** The placeholder for a value that is not known. */
export const UNKNOWN = '—';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "850 ms", "42s", "4m 12s", "1h 03m"; negative durations (clock skew) read as zero. */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (value < SECOND) return `${Math.round(value)} ms`;
  const totalSeconds = Math.floor(value / SECOND);
  if (value < MINUTE) return `${totalSeconds}s`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours === 0) return `${minutes}m ${pad2(seconds)}s`;
  return `${hours}h ${pad2(minutes)}m`;
}

/** "just now", "3s ago", "4m ago", "2h ago", "3d ago". */
export function formatAge(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (value < SECOND) return 'just now';
  if (value < MINUTE) return `${Math.floor(value / SECOND)}s ago`;
  if (value < HOUR) return `${Math.floor(value / MINUTE)}m ago`;
  if (value < DAY) return `${Math.floor(value / HOUR)}h ago`;
  return `${Math.floor(value / DAY)}d ago`;
}

/** The freshness class for data of this age: green under 5 s, yellow under 30 s, red beyond. */
export function freshnessClass(ageMs: number): 'fresh-green' | 'fresh-yellow' | 'fresh-red' {
  if (ageMs < FRESH_GREEN_MS) return 'fresh-green';
  if (ageMs < FRESH_YELLOW_MS) return 'fresh-yellow';
  return 'fresh-red';
}

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

/** Milliseconds since the epoch for an ISO time, or null when it does not parse. */
export function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** A short UTC date and time for tooltips and tables: "2026-11-20 14:02:11 UTC". */
export function formatTimestamp(iso: string | null): string {
  const ms = parseTime(iso);
  if (ms === null) return UNKNOWN;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A short UTC clock time for timelines: "14:02:11". */
export function formatClock(iso: string | null): string {
  const ms = parseTime(iso);
  if (ms === null) return UNKNOWN;
  return new Date(ms).toISOString().slice(11, 19);
}

/** "512 B", "12 KB", "340 MB", "1.2 GB" (binary units, as file sizes elsewhere on the pages). */
export function formatBytes(bytes: number): string {
  const n = Number.isFinite(bytes) ? Math.max(0, bytes) : 0;
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${text} ${units[unit]}`;
}

/** A part of a whole as a share: "42%", "<1%" for a sliver, "—" when the whole is empty. */
export function formatShare(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return UNKNOWN;
  const percent = (Math.max(0, part) / whole) * 100;
  if (percent > 0 && percent < 0.5) return '<1%';
  return `${Math.round(Math.min(100, percent))}%`;
}
