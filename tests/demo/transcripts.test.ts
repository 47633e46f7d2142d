/**
 * The Claude Code transcripts a simulated build writes: where Claude Code keeps them, shaped as
 * Claude Code writes them, read by buildcast's own parser without a problem, and agreeing with
 * the rest of the build: its agents' tokens, its context lines and its phases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPricing } from '../../src/collector/pricing-file.js';
import { parseTranscriptLine, RecentKeys } from '../../src/collector/transcript.js';
import { parseTranscriptChunk } from '../../src/collector/transcript-chunk.js';
import type { TokenSample } from '../../src/collector/types.js';
import { aggregateMetrics } from '../../src/core/metrics-aggregate.js';
import { PriceTable } from '../../src/core/pricing.js';
import { FakeClock } from '../../src/shared/clock.js';
import { requestTokens } from '../../src/demo/activity.js';
import type { RequestActivity } from '../../src/demo/activity.js';
import { planBuild } from '../../src/demo/build-plan.js';
import type { PlanOptions } from '../../src/demo/build-plan.js';
import { runSimulation } from '../../src/demo/simulate.js';
import type { SimulationStep } from '../../src/demo/simulate.js';
import { TODO_API } from '../../src/demo/story-todo-api.js';
import { planTimeline } from '../../src/demo/timeline.js';
import { claudeAgentIdOf, claudeSessionIdOf, transcriptFolder } from '../../src/demo/transcripts.js';
import { playOn } from './push-recorder.js';

const START = '2026-11-20T14:02:11Z';
const AGENTS = ['scout', 'builder-1', 'builder-2', 'builder-3', 'builder-3-retry', 'tester'];
const prices = new PriceTable(
  loadPricing({ builtin: join(import.meta.dirname, '../../data/pricing.json') }).entries,
);

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'buildcast-transcripts-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

type Line = Record<string, unknown> & { message?: Record<string, unknown> };

interface Played {
  dir: string;
  claudeDir: string;
  sessionId: string;
  /** Every phase file the build wrote, in order. */
  phaseFiles: Array<Record<string, unknown>>;
  /** Lines of the main transcript at the moment each phase file was written. */
  linesAtStep: number[];
}

async function play(options: PlanOptions = {}): Promise<Played> {
  const project = options.project ?? options.story?.project ?? 'weather-app';
  const clock = new FakeClock(START);
  const dir = join(root, project);
  const claudeDir = join(root, 'claude');
  const sessionId = claudeSessionIdOf(project, Date.parse(START));
  const phaseFiles: Array<Record<string, unknown>> = [];
  const linesAtStep: number[] = [];
  const onStep = (step: SimulationStep): void => {
    if (!step.file.endsWith('current-phase.json')) return;
    phaseFiles.push(JSON.parse(readFileSync(step.file, 'utf8')) as Record<string, unknown>);
    linesAtStep.push(lineCount(join(transcriptFolder(claudeDir, dir), `${sessionId}.jsonl`)));
  };
  const result = await playOn(clock, runSimulation({ speed: 10, ...options, dir, clock, claudeDir, onStep }));
  expect(result.claudeSessionId).toBe(sessionId);
  return { dir, claudeDir, sessionId, phaseFiles, linesAtStep };
}

function lineCount(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Every transcript of the build, by path under its folder. */
function transcripts(played: Played): Map<string, string> {
  const folder = transcriptFolder(played.claudeDir, played.dir);
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.jsonl'),
  );
  return new Map(files.map((file) => [file, readFileSync(join(folder, file), 'utf8')]));
}

const agentFile = (played: Played, agent: string): string =>
  join(played.sessionId, 'subagents', `agent-${claudeAgentIdOf(played.sessionId, agent)}.jsonl`);

const linesOf = (text: string): Line[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);

/** The samples buildcast's parser takes from a whole file, each request once. */
const samplesOf = (text: string): TokenSample[] => {
  const chunk = parseTranscriptChunk(Buffer.from(text), new RecentKeys());
  expect(chunk.problems).toEqual([]);
  return chunk.samples;
};

const total = (samples: readonly TokenSample[]): number =>
  samples.reduce((sum, s) => sum + s.input + s.output + s.cacheRead + s.cacheWrite, 0);

const readEvents = (
  played: Played,
  project: string,
): Array<{ type: string; data: Record<string, unknown> }> =>
  linesOf(readFileSync(join(played.dir, 'logs', 'events', project, 'events.jsonl'), 'utf8')) as Array<{
    type: string;
    data: Record<string, unknown>;
  }>;

const metricsOf = (samples: readonly TokenSample[]) =>
  aggregateMetrics({ sessionId: 'x', samples, phases: [], prices, iterations: [], currentIteration: null });

const plannedRequests = (options: PlanOptions): RequestActivity[] =>
  planTimeline(planBuild({ speed: 10, ...options })).flatMap((item) =>
    item.activity?.kind === 'request' ? [item.activity] : [],
  );

describe('the transcripts of a simulated build', () => {
  it('are written where Claude Code keeps them, each line shaped as Claude Code writes it', async () => {
    const played = await play();
    const files = transcripts(played);
    const main = `${played.sessionId}.jsonl`;
    expect([...files.keys()].sort()).toEqual([main, ...AGENTS.map((a) => agentFile(played, a))].sort());
    const folder = relative(
      join(played.claudeDir, 'projects'),
      transcriptFolder(played.claudeDir, played.dir),
    );
    expect(folder).toBe(played.dir.replace(/[^A-Za-z0-9]/g, '-'));

    const models = new Set<unknown>();
    for (const [file, text] of files) {
      const sidechain = file !== main;
      const agentId = sidechain ? /agent-([0-9a-f]{7})\.jsonl$/.exec(file)?.[1] : undefined;
      const lines = linesOf(text);
      for (const [i, line] of lines.entries()) {
        expect(parseTranscriptLine(JSON.stringify(line)).kind, `${file}:${i + 1}`).not.toBe('problem');
        expect(line).toMatchObject({
          cwd: played.dir,
          sessionId: played.sessionId,
          isSidechain: sidechain,
          userType: 'external',
          version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
          uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
          timestamp: expect.stringMatching(/^2026-11-20T14:\d\d:\d\d\.\d{3}Z$/),
        });
        expect(line['parentUuid']).toBe(i === 0 ? null : lines[i - 1]?.['uuid']);
        expect(line['agentId']).toBe(agentId);
        if (line['type'] === 'user') continue;
        expect(line['type']).toBe('assistant');
        expect(line['requestId']).toMatch(/^req_011C\w{20}$/);
        const message = line.message ?? {};
        expect(message).toMatchObject({ id: expect.stringMatching(/^msg_01\w{22}$/), role: 'assistant' });
        expect(prices.contextWindow(String(message['model'])), String(message['model'])).toBe(200_000);
        models.add(message['model']);
        const usage = message['usage'] as Record<string, number> & { cache_creation: Record<string, number> };
        for (const field of ['input_tokens', 'output_tokens', 'cache_read_input_tokens']) {
          expect(Number.isInteger(usage[field]), field).toBe(true);
        }
        const fiveMinutes = usage.cache_creation['ephemeral_5m_input_tokens'] ?? Number.NaN;
        const oneHour = usage.cache_creation['ephemeral_1h_input_tokens'] ?? Number.NaN;
        expect(fiveMinutes + oneHour).toBe(usage['cache_creation_input_tokens']);
        // The main loop's cache lives an hour; its agents' five minutes.
        expect(sidechain ? oneHour : fiveMinutes).toBe(0);
      }
      // Every response answers a user line: the task it was given, then each tool's result.
      const users = lines.filter((line) => line['type'] === 'user');
      const requests = new Set(lines.map((line) => line['requestId']).filter(Boolean));
      expect(users).toHaveLength(requests.size);
      expect(users[0]?.message?.['content']).toEqual(expect.any(String));
    }
    expect(models).toEqual(new Set(['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001']));
  });

  it('streams each response as two or three lines that buildcast counts once, totalling what the build planned', async () => {
    const played = await play();
    const planned = plannedRequests({});
    for (const [file, text] of transcripts(played)) {
      const assistant = linesOf(text).filter((line) => line['type'] === 'assistant');
      const byRequest = new Map<string, Line[]>();
      for (const line of assistant) {
        const id = String(line['requestId']);
        byRequest.set(id, [...(byRequest.get(id) ?? []), line]);
      }
      for (const [requestId, lines] of byRequest) {
        expect(lines.length, requestId).toBeGreaterThanOrEqual(2);
        expect(lines.length, requestId).toBeLessThanOrEqual(3);
        expect(new Set(lines.map((line) => line.message?.['id'])).size).toBe(1);
        const outputs = lines.map(
          (line) => (line.message?.['usage'] as Record<string, number>)['output_tokens'] ?? Number.NaN,
        );
        expect(Math.max(...outputs.slice(0, -1))).toBeLessThan(outputs.at(-1)!);
      }
      const samples = samplesOf(text);
      expect(samples).toHaveLength(byRequest.size);
      const agent = file.includes('subagents') ? AGENTS.find((a) => file === agentFile(played, a)) : null;
      const own = planned.filter((request) => request.agent === agent);
      expect(samples.map((s) => s.input + s.output + s.cacheRead + s.cacheWrite)).toEqual(
        own.map((request) => requestTokens(request.usage)),
      );

      // Read a line at a time, as a file is followed while it grows: still one request per key,
      // its largest reading being its last line's.
      const recent = new RecentKeys();
      const seen = new Map<string, number>();
      for (const line of text.split('\n').filter(Boolean)) {
        for (const s of parseTranscriptChunk(Buffer.from(`${line}\n`), recent).samples)
          seen.set(s.key, Math.max(seen.get(s.key) ?? 0, s.input + s.output + s.cacheRead + s.cacheWrite));
      }
      expect([...seen.values()]).toEqual(samples.map((s) => s.input + s.output + s.cacheRead + s.cacheWrite));
    }
  });

  it("gives every agent report the tokens of that agent's requests so far, its transcript's total at the end", async () => {
    for (const options of [{}, { story: TODO_API, failAt: 'Deploy' }, { failAt: 'Builder' }]) {
      const sent = new Map<string, number>();
      for (const { activity } of planTimeline(planBuild({ speed: 10, ...options }))) {
        if (activity?.kind === 'request' && activity.agent !== null)
          sent.set(activity.agent, (sent.get(activity.agent) ?? 0) + requestTokens(activity.usage));
        if (activity?.kind === 'agent') {
          expect(activity.agent.tokensUsed, `${activity.agent.id} ${activity.message}`).toBe(
            sent.get(activity.agent.id) ?? 0,
          );
        }
      }
    }

    const played = await play();
    const files = transcripts(played);
    const last = new Map<string, unknown>();
    for (const event of readEvents(played, 'weather-app')) {
      if (typeof event.data['agent_id'] === 'string')
        last.set(event.data['agent_id'], event.data['tokens_used']);
    }
    expect([...last.keys()].sort()).toEqual([...AGENTS].sort());
    for (const agent of AGENTS) {
      expect(last.get(agent), agent).toBe(total(samplesOf(files.get(agentFile(played, agent)) ?? '')));
    }
  });

  it("logs the main loop's context as the context gauge reads it from the transcript", async () => {
    const played = await play();
    const events = readEvents(played, 'weather-app');
    const contextLines = events.filter((event) => event.type === 'context_update');
    // Agents report their progress in words: only the main loop speaks of "the" context.
    expect(contextLines.every((event) => !('agent_id' in event.data))).toBe(true);
    const main = samplesOf(transcripts(played).get(`${played.sessionId}.jsonl`) ?? '');
    expect(contextLines.map((event) => event.data['context_tokens'])).toEqual(
      main.map((s) => s.input + s.cacheRead + s.cacheWrite),
    );
    // At every request, the gauge over what was read so far says what the log said just then.
    const subagents = [...transcripts(played)].filter(([file]) => file.includes('subagents'));
    const all = [...main, ...subagents.flatMap(([, text]) => samplesOf(text))];
    main.forEach((sample, k) => {
      const gauge = metricsOf(all.filter((s) => s.at <= sample.at)).context;
      expect(gauge).toMatchObject({
        usedTokens: contextLines[k]?.data['context_tokens'],
        limit: contextLines[k]?.data['max_tokens'],
        percent: contextLines[k]?.data['context_percent'],
      });
    });
    expect(contextLines.at(-1)?.data['context_percent']).toBeGreaterThan(30);
  });

  it("keeps every request inside its phase's span, and a failed build's requests end at its failure", async () => {
    for (const options of [{}, { story: TODO_API, failAt: 'Deploy' }]) {
      const played = await play(options);
      const spans = new Map<string, { start: number; end: number }>();
      for (const file of played.phaseFiles) {
        const times = file['timestamps'] as Record<string, string>;
        const start = Date.parse(times['phaseStart']!);
        const end = times['phaseEnd'] ? Date.parse(times['phaseEnd']) : Number.POSITIVE_INFINITY;
        spans.set(String(file['current_phase']), { start, end });
      }
      const samples = [...transcripts(played).values()].flatMap(samplesOf);
      for (const sample of samples) {
        const inside = [...spans.values()].some((span) => span.start <= sample.at && sample.at <= span.end);
        expect(inside, new Date(sample.at).toISOString()).toBe(true);
      }
      const lastUpdate = Date.parse(
        (played.phaseFiles.at(-1)?.['timestamps'] as Record<string, string>)['lastUpdated']!,
      );
      expect(Math.max(...samples.map((s) => s.at))).toBeLessThanOrEqual(lastUpdate);
      expect(metricsOf(samples).tokens.costUsd).toBeGreaterThan(0);
      if (options.failAt) expect(played.phaseFiles.at(-1)).toMatchObject({ status: 'failed' });
    }
  });

  it('appends each request as the build sends it, so the tokens count up while it runs', async () => {
    const played = await play();
    const counts = played.linesAtStep;
    expect(counts[0]).toBe(0);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const final = lineCount(
      join(transcriptFolder(played.claudeDir, played.dir), `${played.sessionId}.jsonl`),
    );
    const halfway = counts[Math.floor(counts.length / 2)]!;
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(final);
  });
});
