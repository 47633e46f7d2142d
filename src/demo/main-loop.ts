/**
 * @module
 * The requests of a simulated build's main loop: the Claude Code session that runs Context
 * Foundry, in its own transcript. It sends one request after each update of the phase file that
 * leaves work to do (not after a phase ends or the build fails), inside that phase's time span,
 * so every phase's requests count for it and a failed build's cost stops where it failed. Its
 * context grows through the build, from the task to everything the phases reported back. Pure.
 */
import { BUILD_PHASES } from './story.js';
import type { BuildPlan, PlannedStep } from './build-plan.js';
import { cachedUsage } from './activity.js';
import type { RequestActivity } from './activity.js';
import { varied } from './ids.js';
import { MAIN_MODEL } from './models.js';

/** The main loop's context as the build starts: Claude Code's system prompt, tools and the task. */
const FIRST_CONTEXT_TOKENS = 12_000;
/** What each phase adds to it: the agents' reports, the files read, the phase's own notes. */
const CONTEXT_PER_PHASE = 9_500;
/** Seconds (at speed 1) after a phase-file update before the main loop's next request goes out. */
const REPLY_SECONDS = 0.5;

/** The kinds of update after which the main loop still has work to do in the same phase. */
const LEAVES_WORK: ReadonlySet<PlannedStep['kind']> = new Set([
  'start',
  'progress',
  'iteration-start',
  'iteration-result',
]);

/** The requests of the main loop of the build `plan` describes, in time order. */
export function planMainLoop(plan: BuildPlan): RequestActivity[] {
  const sending = plan.steps.flatMap((step, index) => {
    const next = plan.steps[index + 1];
    if (!LEAVES_WORK.has(step.kind) || !next || next.phase !== step.phase) return [];
    // Never after the next update: at high speed the reply may come sooner than half a second.
    const delay = Math.min(
      Math.round((REPLY_SECONDS * 1000) / plan.speed),
      Math.floor((next.atMs - step.atMs) / 2),
    );
    return [{ step, atMs: step.atMs + delay }];
  });
  const perPhase = new Map<string, number>();
  for (const { step } of sending) perPhase.set(step.phase, (perPhase.get(step.phase) ?? 0) + 1);

  const seen = new Map<string, number>();
  let previous = 0;
  return sending.map(({ step, atMs }, k): RequestActivity => {
    const index = BUILD_PHASES.findIndex((phase) => phase.name === step.phase);
    const nth = seen.get(step.phase) ?? 0;
    seen.set(step.phase, nth + 1);
    const share = nth / (perPhase.get(step.phase) ?? 1);
    const context = Math.round(FIRST_CONTEXT_TOKENS + CONTEXT_PER_PHASE * (index + share));
    const seed = `${plan.project}:main:${k}`;
    // The main loop's prompt cache is written for an hour: the build outlasts five minutes.
    const usage = cachedUsage({
      context,
      cached: previous,
      input: varied(`${seed}:input`, 3, 12),
      output: varied(`${seed}:output`, 120, 900),
      cacheFor: '1h',
    });
    previous = context;
    return {
      kind: 'request',
      atMs,
      phase: step.phase,
      agent: null,
      model: MAIN_MODEL.id,
      contextWindow: MAIN_MODEL.contextWindow,
      usage,
      text: `Phase ${step.phaseNumber} ${step.phase}: ${step.detail}`,
      tool: {
        name: 'Bash',
        input: { command: 'cat .context-foundry/current-phase.json', description: 'Read the phase file' },
        result: JSON.stringify({ current_phase: step.phase, status: step.status }),
      },
      prompt: k === 0 ? `Build ${plan.project} with Context Foundry: ${step.detail}.` : null,
    };
  });
}
