/**
 * @module
 * What buildcast knows about Context Foundry's pipeline (SPEC 1.1): the phases in the order the
 * build runs them, how their numbers are written, and which status words end a phase.
 *
 * Everything here is pure and forgiving: the phase file is written by a language model, so
 * names, numbers and status words drift in case, spacing and punctuation.
 */
import { normalizeStatus } from '../collector/phase-number.js';

/** One phase of a Context Foundry build, as the build numbers it. */
export interface CanonicalPhase {
  /** The name as Context Foundry writes it ("GitHub Integration"). */
  readonly name: string;
  /** The phase number text as written ("4.5/8"). */
  readonly number: string;
  /** The number before the slash (4.5). */
  readonly index: number;
  /** The number after the slash (8). */
  readonly total: number;
  /** Runs only when the build enhances an existing codebase. */
  readonly optional?: boolean;
}

/**
 * The phases in the order they run. The totals really do change from 7 to 8 half-way: Context
 * Foundry added the Screenshot phase later and renumbered only the phases after it.
 */
export const CANONICAL_PHASES: readonly CanonicalPhase[] = Object.freeze([
  { name: 'Codebase Analysis', number: '0/7', index: 0, total: 7, optional: true },
  { name: 'Scout', number: '1/7', index: 1, total: 7 },
  { name: 'Architect', number: '2/7', index: 2, total: 7 },
  { name: 'Builder', number: '3/7', index: 3, total: 7 },
  { name: 'Test', number: '4/7', index: 4, total: 7 },
  { name: 'Screenshot', number: '4.5/8', index: 4.5, total: 8 },
  { name: 'Documentation', number: '5/8', index: 5, total: 8 },
  { name: 'Deploy', number: '6/8', index: 6, total: 8 },
  { name: 'Feedback', number: '7/8', index: 7, total: 8 },
  { name: 'GitHub Integration', number: '7.5/8', index: 7.5, total: 8 },
]);

/** The phases Context Foundry runs last: completing one of them completes the build. */
const FINAL_PHASE_NAMES: readonly string[] = ['Feedback', 'GitHub Integration'];

/**
 * Other names builds have used for the same phases. Keys are {@link phaseKey}s; a name that is
 * neither canonical nor listed here is still shown, it just has no known place in the pipeline.
 * A `Map`, never an object: a phase named "constructor" must not find `Object.prototype`'s.
 */
const PHASE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['analysis', 'Codebase Analysis'],
  ['codebase', 'Codebase Analysis'],
  ['scouting', 'Scout'],
  ['architecture', 'Architect'],
  ['build', 'Builder'],
  ['building', 'Builder'],
  ['tests', 'Test'],
  ['testing', 'Test'],
  ['screenshots', 'Screenshot'],
  ['docs', 'Documentation'],
  ['deployment', 'Deploy'],
  ['github', 'GitHub Integration'],
]);

/**
 * A key under which phase names compare equal whatever their case, spacing or punctuation:
 * "github integration", "GitHub_Integration" and "GitHub Integration" all give "githubintegration".
 */
export function phaseKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const PHASES_BY_KEY: ReadonlyMap<string, CanonicalPhase> = new Map(
  CANONICAL_PHASES.map((phase) => [phaseKey(phase.name), phase]),
);

/**
 * The canonical phase a name refers to (case and spacing ignored, a few common aliases such as
 * "Testing" or "Docs" accepted), or undefined when it is not one of Context Foundry's phases.
 */
export function canonicalPhase(name: string): CanonicalPhase | undefined {
  const key = phaseKey(name);
  const alias = PHASE_ALIASES.get(key);
  return PHASES_BY_KEY.get(alias === undefined ? key : phaseKey(alias));
}

/**
 * Whether completing this phase completes the build (SPEC 1.1): Feedback or GitHub Integration,
 * or any phase whose number equals its total ("8/8").
 */
export function isFinalPhase(name: string | null, index: number | null, total: number | null): boolean {
  if (index !== null && total !== null && index === total) return true;
  if (name === null) return false;
  const phase = canonicalPhase(name);
  return phase !== undefined && FINAL_PHASE_NAMES.includes(phase.name);
}

/** How a phase ended, when its status says it did. */
export type StatusOutcome = 'completed' | 'failed';

const COMPLETED_WORDS: ReadonlySet<string> = new Set([
  'completed',
  'complete',
  'done',
  'finished',
  'success',
  'successful',
  'succeeded',
]);

const FAILED_WORDS: ReadonlySet<string> = new Set([
  'failed',
  'fail',
  'failure',
  'error',
  'errored',
  'aborted',
  'crashed',
]);

/**
 * Whether a status word ends its phase, and how: `"Completed"`, `"done"` and `"success"` are
 * `completed`; `"failed"`, `"error"` and `"failure"` are `failed`; working words such as
 * `"testing"` or `"self-healing"` (and absent statuses) are null.
 */
export function statusOutcome(status: unknown): StatusOutcome | null {
  const word = normalizeStatus(status);
  if (word === null) return null;
  if (COMPLETED_WORDS.has(word)) return 'completed';
  if (FAILED_WORDS.has(word)) return 'failed';
  return null;
}

/** Whether a status word ends its phase, either way (see {@link statusOutcome}). */
export function isTerminalStatus(status: unknown): boolean {
  return statusOutcome(status) !== null;
}
