/**
 * @module
 * How builds write phase numbers and status words (SPEC 1.1): `"4/7"`, `"4.5/8"`, `"6"`, `6`;
 * `"Analyzing"`, `"self healing"`, `"in-progress"`. Pure and forgiving: a language model writes them.
 */
import { truncateText } from './json-text.js';
import { MAX_PHASE_NUMBER_LENGTH, MAX_STATUS_LENGTH } from './limits.js';

/** A phase number as read: the text to show and the numbers to place it in the pipeline. */
export interface PhaseNumber {
  /** The text as written (outer whitespace trimmed), numbers turned to text; null when absent. */
  text: string | null;
  /** The number before the slash; null when missing or unreadable. */
  index: number | null;
  /** The number after the slash; null when there is none. */
  total: number | null;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
/** "4/7", "4.5/8", " 4 / 7 ", "Phase 4/7", "phase 4 of 7", "6", "#6". */
const PHASE_NUMBER_PATTERN = new RegExp(`^(?:phase\\s*)?#?\\s*${NUMBER}(?:\\s*(?:/|of)\\s*${NUMBER})?$`, 'i');

/**
 * Reads a `phase_number` in any of the forms builds write: `"4/7"`, `"4.5/8"`, `"6"`, `6`, `4.5`,
 * `" 4 / 7 "`, `"Phase 4/7"`. Unreadable text keeps its `text` with null numbers, so the page can
 * still show what the build wrote; anything that is not a string or a finite number is absent.
 */
export function parsePhaseNumber(value: unknown): PhaseNumber {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { text: null, index: null, total: null };
    return { text: String(value), index: value >= 0 ? value : null, total: null };
  }
  if (typeof value !== 'string') return { text: null, index: null, total: null };
  const text = value.trim();
  if (text === '') return { text: null, index: null, total: null };
  if (text.length > MAX_PHASE_NUMBER_LENGTH) {
    return { text: truncateText(text, MAX_PHASE_NUMBER_LENGTH), index: null, total: null };
  }
  const match = PHASE_NUMBER_PATTERN.exec(text);
  if (!match) return { text, index: null, total: null };
  const index = Number(match[1]);
  const total = match[2] === undefined ? null : Number(match[2]);
  // "3/0" cannot place anything in a pipeline; keep the index, drop the nonsense total.
  return { text, index, total: total !== null && total > 0 ? total : null };
}

/**
 * Normalizes a status word: lower-case, trimmed, every run of spaces, underscores and hyphens
 * turned into one hyphen ("Self Healing" → "self-healing", "in_progress" → "in-progress").
 * Anything that is not a non-empty string is null; a word longer than {@link MAX_STATUS_LENGTH}
 * is cut, as no status word is that long.
 */
export function normalizeStatus(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Only the start can matter, and normalizing a runaway value whole would cost its length.
  const status = value
    .trimStart()
    .slice(0, MAX_STATUS_LENGTH * 4)
    .trimEnd()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return status === '' ? null : truncateText(status, MAX_STATUS_LENGTH);
}
