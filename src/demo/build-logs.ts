/**
 * @module
 * The output a simulated build prints: a banner as each phase starts, the story's lines for each
 * phase (npm, git, the dev server), the test runner's report of every iteration with its colours,
 * and the error and stack trace before a phase fails. Pure.
 */
import { ansi, BUILD_PHASES, stripAnsi } from './story.js';
import type { BuildPlan, PlannedStep, TestRun } from './build-plan.js';
import { offsetMs, phaseWindow } from './activity.js';
import type { LogActivity } from './activity.js';

/** Seconds (at speed 1) before a failure over which its error output is printed. */
const FAILURE_OUTPUT_SECONDS = 2;

/** What the test runner prints for one iteration, as a terminal shows it. */
function testRunOutput(command: string, run: TestRun): string[] {
  const total = run.passed + run.failed;
  const lines = [`$ ${command}`, ansi.dim(` RUN  iteration ${run.iteration}`)];
  for (const result of run.results) {
    if (result.ok) continue;
    lines.push(ansi.red(`✗ ${result.name}`));
    if (result.reason) lines.push(`    → ${result.reason}`);
  }
  lines.push(`${ansi.green('✓')} ${run.passed} passed`);
  if (run.failed > 0) lines.push(`${ansi.red('✗')} ${run.failed} failed`);
  const counts = run.failed > 0 ? `${ansi.red(`${run.failed} failed`)} | ` : '';
  lines.push(` Tests  ${counts}${ansi.green(`${run.passed} passed`)} (${total})`);
  return lines;
}

/** Spreads `lines` evenly over the open interval (fromMs, toMs). */
function spread(
  lines: readonly string[],
  fromMs: number,
  toMs: number,
  base: Omit<LogActivity, 'atMs' | 'text'>,
): LogActivity[] {
  return lines.map((text, i) => ({
    ...base,
    text,
    atMs: Math.round(fromMs + ((toMs - fromMs) * (i + 1)) / (lines.length + 1)),
  }));
}

/** Every line of output of the build `plan` describes, in the phases it reaches. */
export function planLogs(plan: BuildPlan): LogActivity[] {
  const { story } = plan;
  const out: LogActivity[] = [];
  for (const { name: phase, number } of BUILD_PHASES) {
    const window = phaseWindow(plan, phase);
    if (!window) continue;
    const failureStart = window.failed
      ? Math.max(window.startMs, window.endMs - Math.round((FAILURE_OUTPUT_SECONDS * 1000) / plan.speed))
      : Number.POSITIVE_INFINITY;
    out.push({
      kind: 'log',
      atMs: window.startMs,
      phase,
      text: ansi.bold(`▶ Phase ${number}: ${phase}`),
      stream: 'stdout',
    });
    for (const [seconds, text] of story.logs[phase] ?? []) {
      const atMs = offsetMs(plan, window.startMs, seconds);
      if (atMs <= window.endMs && atMs < failureStart)
        out.push({ kind: 'log', atMs, phase, text, stream: 'stdout' });
    }
    if (phase === 'Test')
      out.push(
        ...testOutput(
          plan,
          plan.steps.filter((step) => step.phase === 'Test'),
        ),
      );
    if (window.failed) {
      // The test runner's own report already shows why Test failed.
      const detail = plan.steps.at(-1)?.detail ?? `${phase} failed`;
      const lines = story.failureLogs[phase] ?? (phase === 'Test' ? [] : [ansi.red(`✗ ${detail}`)]);
      spread(lines, failureStart, window.endMs, { kind: 'log', phase, stream: 'stderr' }).forEach((line) => {
        // The command and npm's banner go to stdout; what follows them is the error.
        out.push(/^[$>] /.test(stripAnsi(line.text)) ? { ...line, stream: 'stdout' } : line);
      });
    }
  }
  return out;
}

/** The runner's output between each iteration's start and its report, and each self-healing note. */
function testOutput(plan: BuildPlan, steps: readonly PlannedStep[]): LogActivity[] {
  const out: LogActivity[] = [];
  for (const step of steps) {
    if (step.testRun) {
      const iteration = step.testRun.iteration;
      const start = steps.find((candidate) => candidate.startsIteration === iteration);
      const lines = testRunOutput(plan.story.testCommand, step.testRun);
      out.push(
        ...spread(lines, start?.atMs ?? step.atMs, step.atMs, {
          kind: 'log',
          phase: 'Test',
          stream: 'stdout',
        }),
      );
    } else if (step.kind === 'progress' && step.status === 'self-healing') {
      out.push({
        kind: 'log',
        atMs: offsetMs(plan, step.atMs, 0.5),
        phase: 'Test',
        text: `${ansi.yellow('↻')} self-healing: ${step.detail}`,
        stream: 'stdout',
      });
    }
  }
  return out;
}
