/**
 * @module
 * Times and sizes as people read them on a dashboard, in the words both sides use: the server
 * renders them once with its clock, and the browser client ticks the clock-derived ones every
 * second (SPEC 2), so a stamp never changes wording when the page takes over. Pure, with
 * neither DOM nor Node types, because both builds compile it.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Under this age the freshness stamp is green, under {@link FRESH_YELLOW_MS} yellow, else red (SPEC 2). */
const FRESH_GREEN_MS = 5 * SECOND;
/** Under this age (and at least {@link FRESH_GREEN_MS}) the freshness stamp is yellow. */
const FRESH_YELLOW_MS = 30 * SECOND;

/** Every class a freshness stamp can carry, so the page can swap one for another. */
export const FRESH_CLASSES = ['fresh-green', 'fresh-yellow', 'fresh-red'] as const;
/** One of {@link FRESH_CLASSES}. */
export type FreshClass = (typeof FRESH_CLASSES)[number];

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

/** "just now", "3s ago", "4m ago", "2h ago", "3d ago"; a time in the future reads "just now". */
export function formatAge(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (value < SECOND) return 'just now';
  if (value < MINUTE) return `${Math.floor(value / SECOND)}s ago`;
  if (value < HOUR) return `${Math.floor(value / MINUTE)}m ago`;
  if (value < DAY) return `${Math.floor(value / HOUR)}h ago`;
  return `${Math.floor(value / DAY)}d ago`;
}

/** The freshness class for data of this age: green under 5 s, yellow under 30 s, red beyond. */
export function freshnessClass(ageMs: number): FreshClass {
  if (ageMs < FRESH_GREEN_MS) return 'fresh-green';
  if (ageMs < FRESH_YELLOW_MS) return 'fresh-yellow';
  return 'fresh-red';
}

/** Milliseconds since the epoch for an ISO time, or null when it does not parse. */
export function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** A UTC date and time for tooltips and tables: "2026-11-20 14:02:11 UTC"; "—" when unknown. */
export function formatTimestamp(iso: string | null): string {
  const ms = parseTime(iso);
  if (ms === null) return UNKNOWN;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A short UTC clock time for timelines and log lines: "14:02:11"; "—" when unknown. */
export function formatClock(iso: string | null): string {
  const ms = parseTime(iso);
  if (ms === null) return UNKNOWN;
  return new Date(ms).toISOString().slice(11, 19);
}

/** "Updated 3s ago": the stamp of a build still going, coloured by {@link freshnessClass}. */
export const updatedLabel = (ageMs: number): string => `Updated ${formatAge(ageMs)}`;

/** "Finished 3m ago": the stamp of a build that has ended, in a neutral colour (its data is final, not stale). */
export const finishedLabel = (ageMs: number): string => `Finished ${formatAge(ageMs)}`;

/**
 * How a time reads in the viewer's zone: a whole date and time, the clock time, or the clock
 * to the minute (a chart's time axis).
 */
export type LocalTimeStyle = 'datetime' | 'clock' | 'minutes';

/** Whether a value (a `data-local` attribute) names a {@link LocalTimeStyle}. */
export const isLocalTimeStyle = (value: unknown): value is LocalTimeStyle =>
  value === 'datetime' || value === 'clock' || value === 'minutes';

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone, made once: making them is far slower than using them. */
function localFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = localFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    localFormats.set(key, format);
  }
  return format;
}

/**
 * An ISO time in a time zone (the viewer's own when none is given), in the shape of
 * {@link formatTimestamp} without its "UTC": "2026-11-20 15:02:11", "15:02:11" for `clock`,
 * "15:02" for `minutes`; "—" when unknown.
 */
export function formatLocalTime(iso: string | null, style: LocalTimeStyle, timeZone?: string): string {
  const ms = parseTime(iso);
  if (ms === null) return UNKNOWN;
  const parts: Record<string, string> = {};
  for (const part of localFormat(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  const minutes = `${parts['hour']}:${parts['minute']}`;
  if (style === 'minutes') return minutes;
  const clock = `${minutes}:${parts['second']}`;
  return style === 'clock' ? clock : `${parts['year']}-${parts['month']}-${parts['day']} ${clock}`;
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
