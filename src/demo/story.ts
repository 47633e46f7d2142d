/**
 * @module
 * What a simulated build is about, as data: the words each phase writes, the test suite, the
 * Architect's parallel tasks and the log output. The timing is shared by every story
 * (`build-plan.ts`, `agents.ts`); only the content changes, so a second build in the demo reads
 * like a different project rather than a copy.
 */

/** The phases a Context Foundry build runs, in order, with the numbers it writes for them. */
export const BUILD_PHASES = [
  { name: 'Scout', number: '1/7' },
  { name: 'Architect', number: '2/7' },
  { name: 'Builder', number: '3/7' },
  { name: 'Test', number: '4/7' },
  { name: 'Screenshot', number: '4.5/8' },
  { name: 'Documentation', number: '5/8' },
  { name: 'Deploy', number: '6/8' },
  { name: 'Feedback', number: '7/8' },
] as const;

export type PhaseName = (typeof BUILD_PHASES)[number]['name'];

/** The phases whose updates come from a script; Test is played from its test-fix loop. */
export type ScriptedPhase = Exclude<PhaseName, 'Test'>;

/** [seconds before it at speed 1, status, progress detail] */
export type PhaseLine = readonly [number, string, string];

/** The phase-file updates of one scripted phase. */
export interface PhaseScript {
  start: PhaseLine;
  progress: readonly PhaseLine[];
  end: PhaseLine;
  /** The progress detail written when this phase is made to fail. */
  failure: string;
}

/** One test of the suite the Test phase runs. */
export interface TestCase {
  name: string;
  /** Why it fails while its bug is still there. */
  reason?: string;
  /** The last iteration in which it fails (always failing from iteration 1). */
  failsThrough?: number;
}

/** One of the Architect's six parallel tasks (`build-tasks.json`). */
export interface StoryTask {
  name: string;
  files: readonly string[];
  /** Ids (`task-<n>`) of the tasks that must finish first. */
  dependsOn: readonly string[];
}

/** A line of output, printed this many seconds (at speed 1) after its phase starts. */
export type LogCue = readonly [number, string];

/** Everything that makes one simulated project read like itself. */
export interface Story {
  /** The project (`session_id`) a build of this story uses unless told otherwise. */
  project: string;
  phases: Readonly<Record<ScriptedPhase, PhaseScript>>;
  suite: readonly TestCase[];
  /** What the self-healing step after iteration N works on. */
  fixNotes: Readonly<Record<number, string>>;
  /** The command the Test phase runs, echoed in its output. */
  testCommand: string;
  /**
   * Six tasks, worked by three builders: builder-1 takes tasks 1 and 2, builder-2 tasks 3 and 4,
   * builder-3 tasks 5 and 6 (and fails task 5 once). Task 4 waits for 1 and 2, task 6 for 4 and 5.
   */
  tasks: readonly [StoryTask, StoryTask, StoryTask, StoryTask, StoryTask, StoryTask];
  /** What builder-1, builder-2 and builder-3 work on, for their names ("Builder 1: API client"). */
  builderRoles: readonly [string, string, string];
  /** What builder-3 prints when its first attempt at task 5 fails: the error, then its stack. */
  builderFailure: readonly string[];
  /** Output printed during each phase; the Test phase's runner output is rendered from the suite. */
  logs: Readonly<Partial<Record<PhaseName, readonly LogCue[]>>>;
  /** Output printed just before a phase fails, when it is made to; a generic trace otherwise. */
  failureLogs: Readonly<Partial<Record<PhaseName, readonly string[]>>>;
  filesCreated: readonly string[];
  filesModified: readonly string[];
}

/** ANSI colours as a terminal shows them; the log view is expected to render or strip them. */
export const ansi = {
  green: (text: string): string => `\u001b[32m${text}\u001b[0m`,
  red: (text: string): string => `\u001b[31m${text}\u001b[0m`,
  yellow: (text: string): string => `\u001b[33m${text}\u001b[0m`,
  dim: (text: string): string => `\u001b[2m${text}\u001b[0m`,
  bold: (text: string): string => `\u001b[1m${text}\u001b[0m`,
};

// eslint-disable-next-line no-control-regex -- the escape character is what it matches
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

/** The text of a log line without its colours. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}
