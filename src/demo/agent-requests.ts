/**
 * @module
 * The API requests each agent of a simulated build sends (its subagent transcript, SPEC 1.5): one
 * when it starts, one at each progress report, one as it ends. Each is sent with the context it
 * has built up (read from the cache, with what is new written to it) and answers a few hundred
 * tokens. An agent's `tokens_used` at any moment is the sum of its requests so far, so the agent
 * list and the transcripts agree. Pure.
 */
import type { Story } from './story.js';
import { cachedUsage } from './activity.js';
import type { RequestUsage, ToolCall } from './activity.js';
import type { AgentScript } from './builder-schedule.js';
import { varied } from './ids.js';

/** Seconds (at speed 1) between two progress reports of a working agent, and two of its requests. */
const TICK_SECONDS = 3;

/** One request of an agent, at `s` seconds (speed 1) after its phase starts. */
export interface AgentRequest {
  s: number;
  usage: RequestUsage;
  text: string;
  tool: ToolCall | null;
  /** The task the agent was handed, on its first request; null on the others. */
  prompt: string | null;
}

/** When an agent sends its requests: as it starts, at every tick while it works, and as it ends. */
function requestTimes(script: AgentScript): number[] {
  const times = [script.active];
  for (let s = script.active + TICK_SECONDS; s < script.end - 0.5; s += TICK_SECONDS) times.push(s);
  if (script.end > script.active) times.push(script.end);
  return times;
}

/** What an agent does with one request: the tool it calls on the files of the task at hand. */
function toolFor(script: AgentScript, story: Story, s: number, k: number): ToolCall {
  const work = script.work.find((w) => w.start <= s && s < w.end) ?? script.work.at(-1);
  const files = work ? (story.tasks[work.task]?.files ?? []) : [];
  const file = files[k % Math.max(1, files.length)];
  if (script.type === 'builder' && file !== undefined) {
    if (k % 3 === 2) {
      return {
        name: 'Bash',
        input: { command: 'npx tsc --noEmit', description: 'Type-check the project' },
        result: '',
      };
    }
    return k % 3 === 0
      ? {
          name: 'Write',
          input: { file_path: file, content: '…' },
          result: `File created successfully at: ${file}`,
        }
      : {
          name: 'Edit',
          input: { file_path: file, old_string: '…', new_string: '…' },
          result: `The file ${file} has been updated.`,
        };
  }
  if (script.type === 'tester') {
    return k % 2 === 0
      ? {
          name: 'Bash',
          input: { command: story.testCommand, description: 'Run the test suite' },
          result: 'Test Files  4 passed (4)',
        }
      : { name: 'Read', input: { file_path: 'tests' }, result: '(test sources)' };
  }
  return k % 2 === 0
    ? {
        name: 'Grep',
        input: { pattern: story.project.split('-')[0] ?? story.project },
        result: 'Found 3 files',
      }
    : { name: 'Read', input: { file_path: 'package.json' }, result: '{ "name": "…" }' };
}

/** The requests `script`'s agent sends, in order. */
export function agentRequests(script: AgentScript, story: Story): AgentRequest[] {
  const times = requestTimes(script);
  let previous = 0;
  return times.map((s, k): AgentRequest => {
    const seed = `${story.project}:${script.id}:${k}`;
    const context = Math.round(script.baseContext + script.contextPerSecond * (s - script.active));
    const usage = cachedUsage({
      context,
      cached: previous,
      input: varied(`${seed}:input`, 2, 9),
      output: varied(`${seed}:output`, 180, 1_280),
      cacheFor: '5m',
    });
    previous = context;
    const last = k === times.length - 1;
    const failed = last && script.error !== null;
    return {
      s,
      usage,
      text: failed
        ? `${script.error}`
        : last
          ? `Done: ${script.name} finished its work.`
          : `${script.name}: working (step ${k + 1}).`,
      tool: last ? null : toolFor(script, story, s, k),
      prompt: k === 0 ? `${script.spawnNote}. You are ${script.name}; report back when done.` : null,
    };
  });
}
