/**
 * @module
 * What a comparison says in words: one plain verdict sentence ("B finished 31 % sooner and cost
 * 22 % less; it needed one test-fix loop fewer.") and the warnings that tell when runs are not
 * comparable (different projects, different phase plans) or not final. Pure.
 */
import type { ComparedPhase, ComparedRun, CompareWarning, RunTotals } from './compare-types.js';

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "one", "twelve" stays "12": small counts read as words. */
const countWord = (n: number): string => NUMBER_WORDS[n] ?? String(n);

/** "A", "A and C", "A, B and C". */
function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A percentage as the verdict says it: whole, unsigned ("31 %"). */
const percentWords = (p: number): string => `${Math.round(Math.abs(p))} %`;

function timeWords(percent: number | null): string | null {
  if (percent === null) return null;
  if (Math.round(Math.abs(percent)) === 0) return 'took as long';
  return percent < 0 ? `finished ${percentWords(percent)} sooner` : `took ${percentWords(percent)} longer`;
}

function costWords(percent: number | null, soFar: boolean): string | null {
  if (percent === null) return null;
  const verb = soFar ? 'has cost' : 'cost';
  const tail = soFar ? ' so far' : '';
  if (Math.round(Math.abs(percent)) === 0) return `${verb} the same${tail}`;
  return `${verb} ${percentWords(percent)} ${percent < 0 ? 'less' : 'more'}${tail}`;
}

function loopWords(delta: number | null): string | null {
  if (delta === null) return null;
  if (delta === 0) return 'it needed as many test-fix loops';
  const n = Math.abs(delta);
  return `it needed ${countWord(n)} test-fix loop${n === 1 ? '' : 's'} ${delta < 0 ? 'fewer' : 'more'}`;
}

/** The sentence for one run against the baseline. */
function pairVerdict(base: ComparedRun, run: ComparedRun, totals: RunTotals): string {
  const running = run.endedAt === null;
  const parts = [timeWords(totals.deltaDurationPercent), costWords(totals.deltaCostPercent, running)];
  const said = parts.filter((part): part is string => part !== null);
  let head: string;
  if (said.length > 0) head = `${run.label} ${said.join(' and ')}`;
  else if (running) head = `${run.label} is still running`;
  else if (base.endedAt === null) head = `${base.label} is still running`;
  else head = `${run.label} and ${base.label} cannot be compared on time or cost`;
  if (running && said.length > 0 && totals.deltaDurationPercent === null) head += ` (still running)`;
  // Two runs that never tested have no loops to weigh.
  const tested = base.testIterations > 0 || run.testIterations > 0;
  const loops = tested ? loopWords(totals.deltaTestIterations) : null;
  return `${head}${loops ? `; ${loops}` : ''}.`;
}

/** The run with the least of a figure (the first of equals), or null when no run has it. */
function least(runs: readonly ComparedRun[], figure: 'durationMs' | 'costUsd' | 'testIterations') {
  let best: ComparedRun | null = null;
  for (const run of runs) {
    const value = run[figure];
    if (value === null || (figure === 'durationMs' && run.endedAt === null)) continue;
    if (best === null || value < best[figure]!) best = run;
  }
  return best;
}

/** Three or more runs: the fastest, the cheapest and the one with the fewest loops, against the baseline. */
function groupVerdict(runs: readonly ComparedRun[], totals: readonly RunTotals[]): string {
  const base = runs[0]!;
  const totalsOf = (run: ComparedRun) => totals[runs.indexOf(run)]!;
  const sooner = (run: ComparedRun) => {
    const p = totalsOf(run).deltaDurationPercent;
    return p === null ? null : `${percentWords(p)} sooner`;
  };
  const less = (run: ComparedRun) => {
    const p = totalsOf(run).deltaCostPercent;
    return p === null ? null : `${percentWords(p)} less`;
  };
  const fastest = least(runs, 'durationMs');
  const cheapest = least(runs, 'costUsd');
  let head: string;
  if (fastest && fastest === cheapest) {
    const how = [sooner(fastest), less(fastest)].filter((part) => part !== null);
    const than = fastest === base || how.length === 0 ? '' : ` (${how.join(' and ')} than ${base.label})`;
    head = `${fastest.label} was the fastest and the cheapest${than}`;
  } else {
    const clauses: string[] = [];
    if (fastest) {
      const how = fastest === base ? null : sooner(fastest);
      clauses.push(`${fastest.label} was the fastest${how ? ` (${how} than ${base.label})` : ''}`);
    }
    if (cheapest) {
      const how = cheapest === base ? null : less(cheapest);
      clauses.push(`${cheapest.label} the cheapest${how ? ` (${how} than ${base.label})` : ''}`);
    }
    head = clauses.length > 0 ? clauses.join(' and ') : 'none can be compared on time or cost yet';
  }
  const fewest = least(runs, 'testIterations');
  const spread = new Set(runs.map((run) => run.testIterations)).size > 1;
  const loops =
    fewest && spread
      ? `; ${fewest.label} needed the fewest test-fix loops (${countWord(fewest.testIterations)})`
      : '';
  return `Of the ${runs.length} runs, ${head}${loops}.`;
}

/** One plain sentence: how the runs differ from the baseline (the first). */
export function verdictOf(runs: readonly ComparedRun[], totals: readonly RunTotals[]): string {
  if (runs.length === 2) return pairVerdict(runs[0]!, runs[1]!, totals[1]!);
  return groupVerdict(runs, totals);
}

/** Why the runs may not be comparable, or why some figures are not final or not known. */
export function compareWarnings(
  runs: readonly ComparedRun[],
  phases: readonly ComparedPhase[],
): CompareWarning[] {
  const warnings: CompareWarning[] = [];
  const projects = [...new Set(runs.map((run) => run.project))];
  if (projects.length > 1) {
    warnings.push({
      code: 'different-projects',
      message: `Not comparable: these runs are of different projects (${listWords(projects)}).`,
    });
  }
  const timed = runs.flatMap((run, i) => (run.phaseCount > 0 ? [i] : []));
  const gaps = phases.flatMap((row) => {
    const missing = timed.filter((i) => row.runs[i] === null).map((i) => runs[i]!.label);
    return missing.length > 0 ? [`${row.phase} not in ${listWords(missing)}`] : [];
  });
  if (gaps.length > 0 && timed.length > 1) {
    warnings.push({
      code: 'different-phases',
      message: `Not comparable phase by phase: the runs went through different phases (${gaps.join('; ')}).`,
    });
  }
  for (const run of runs) {
    if (run.endedAt === null) {
      const how = run.state === 'stalled' ? 'has stalled without finishing' : 'is still running';
      warnings.push({ code: 'in-progress', message: `${run.label} ${how}: its figures are not final.` });
    }
    if (run.state === 'failed') {
      warnings.push({
        code: 'failed',
        message: `${run.label} failed: it may have stopped before doing all the work the others did.`,
      });
    }
    if (run.phaseCount === 0) {
      warnings.push({
        code: 'no-phases',
        message: `${run.label} has no phase timeline: only its totals are compared.`,
      });
    }
    if (run.tokensTotal === null) {
      warnings.push({
        code: 'no-tokens',
        message: `${run.label} has no token counts: its tokens and cost are unknown.`,
      });
    } else if (run.costUsd === null) {
      warnings.push({
        code: 'cost-unknown',
        message: `${run.label} used a model without a known price: its cost is unknown.`,
      });
    }
  }
  return warnings;
}
