/**
 * @module
 * The clock-derived text the page ticks every second, and the backfill banner's sentence. These
 * must read exactly like the server's first render (src/server/render/format.ts and
 * render/backfill.ts), which the server tests pin; the browser bundle cannot import server
 * modules, hence the small copy.
 */
import type { BackfillProgress } from '../shared/protocol.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Freshness thresholds (SPEC 2): green under 5 s, yellow under 30 s, red beyond. */
export const FRESH_CLASSES = ['fresh-green', 'fresh-yellow', 'fresh-red'] as const;
export type FreshClass = (typeof FRESH_CLASSES)[number];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "850 ms", "42s", "4m 12s", "1h 03m". */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (value < SECOND) return `${Math.round(value)} ms`;
  const totalSeconds = Math.floor(value / SECOND);
  if (value < MINUTE) return `${totalSeconds}s`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  if (hours === 0) return `${minutes}m ${pad2(totalSeconds % 60)}s`;
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

/** The freshness class for data of this age. */
export function freshnessClass(ageMs: number): FreshClass {
  if (ageMs < 5 * SECOND) return 'fresh-green';
  if (ageMs < 30 * SECOND) return 'fresh-yellow';
  return 'fresh-red';
}

/** "512 B", "12 KB", "340 MB", "1.2 GB". */
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

/** "Reading Claude Code history: 120 of 800 files, 1.2 GB of 3.4 GB". */
export function backfillText(progress: BackfillProgress): string {
  const files = `${progress.filesDone} of ${progress.filesTotal} ${progress.filesTotal === 1 ? 'file' : 'files'}`;
  const bytes =
    progress.bytesTotal > 0
      ? `, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`
      : '';
  return `Reading Claude Code history: ${files}${bytes}`;
}

/** A short UTC clock time for log lines: "14:02:11" (the server's formatClock). */
export function formatClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  return new Date(ms).toISOString().slice(11, 19);
}

/** A UTC date and time for tooltips: "2026-11-20 14:02:11 UTC" (the server's formatTimestamp). */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
