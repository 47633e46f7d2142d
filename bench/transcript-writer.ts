/**
 * @module
 * Writes one Claude Code session's transcript lines in order (bench/gen-transcripts.ts), the way
 * Claude Code does (SPEC 1.5), and keeps the totals a reader of those lines must find.
 */
import { prompt, prose, type Rng } from './transcript-content.js';
import { toolCall } from './tool-calls.js';
import { addTokens, zeroTokens, type TokenTotals } from './token-totals.js';
import { addCosts, addRequestCost, zeroCost, type CostTotals } from './transcript-cost.js';

/** Lines added to a set: by the generator (the whole set) or by one appended turn. */
export interface TranscriptTotals {
  bytes: number;
  lines: number;
  /** API requests with usage, `<synthetic>` lines not included. */
  requests: number;
  /** Usage counted once per request from its first line, as SPEC 1.5 and buildcast count it. */
  tokens: TokenTotals;
  /** Usage taken from each request's last line, where the streamed `output_tokens` is final. */
  finalTokens: TokenTotals;
  /** What those requests cost, by their final usage. */
  cost: CostTotals;
}

/** Where a writer starts: the session's identity and the line it follows on from. */
export interface WriterStart {
  cwd: string;
  sessionId: string;
  /** `uuid` of the line before the first one written (null for a new file). */
  lastUuid: string | null;
  /** Time (ms) of that line; the first line written comes a little after it. */
  endsAt: number;
}

const SONNET = 'claude-sonnet-4-5-20250929';
const MODELS = [SONNET, SONNET, 'claude-opus-4-1-20250805'];
const SUBAGENT_MODEL = 'claude-haiku-4-5-20251001';
/** The first version writes no `cache_creation` split: all of its writes are 5-minute ones. */
const VERSIONS = ['1.0.98', '2.0.14', '2.0.31', '2.1.38'];
/**
 * How long a session's cache writes live: all 5 minutes, the main conversation's for an hour
 * (its subagents' for 5 minutes), or a mix within each request.
 */
const LIFETIMES = ['5m', '1h', '1h', 'mixed'] as const;
/** Claude Code compacts the conversation when its context nears the window. */
const COMPACT_AT = 160_000;
/** With Sonnet's 1M window a session goes on well past 200k tokens, into the long-context tier. */
const LONG_COMPACT_AT = 900_000;

interface Context {
  /** Tokens already in the prompt cache. */
  tokens: number;
  /** Tokens added since the last request (prompts, tool results), written to the cache next. */
  pending: number;
  parent: string | null;
}

/** Writes one session's lines in order and keeps the totals a reader must find. */
export class SessionWriter {
  readonly out: string[] = [];
  readonly totals: TranscriptTotals = {
    bytes: 0,
    lines: 0,
    requests: 0,
    tokens: zeroTokens(),
    finalTokens: zeroTokens(),
    cost: zeroCost(),
  };
  /** Time (ms) of the last line of the first request written, null before it. */
  firstRequestAt: number | null = null;
  #at: number;
  #main: Context;
  readonly #version: string;
  readonly #model: string;
  readonly #lifetime: (typeof LIFETIMES)[number];
  readonly #compactAt: number;

  constructor(
    readonly rng: Rng,
    readonly file: WriterStart,
  ) {
    this.#at = file.endsAt;
    this.#main = { tokens: rng.int(8_000, 20_000), pending: 0, parent: file.lastUuid };
    this.#version = rng.pick(VERSIONS);
    this.#model = rng.pick(MODELS);
    this.#lifetime = this.#version === VERSIONS[0] ? '5m' : rng.pick(LIFETIMES);
    const long = this.#model === SONNET && this.#version !== VERSIONS[0] && rng.chance(0.3);
    // A long session is one that already holds a large codebase when it starts.
    if (long) this.#main.tokens = rng.int(150_000, 195_000);
    this.#compactAt = long ? LONG_COMPACT_AT : COMPACT_AT;
  }

  /** The part of a request's cache writes that goes to the 1-hour cache. */
  #hourPart(sidechain: boolean, cacheWrite: number): number {
    if (this.#lifetime === '1h') return sidechain ? 0 : cacheWrite;
    return this.#lifetime === 'mixed' ? this.rng.int(0, cacheWrite) : 0;
  }

  get lastUuid(): string | null {
    return this.#main.parent;
  }

  get at(): number {
    return this.#at;
  }

  #push(record: Record<string, unknown>): void {
    const line = JSON.stringify(record);
    this.out.push(line);
    this.totals.bytes += Buffer.byteLength(line) + 1;
    this.totals.lines += 1;
  }

  /** A conversation line: the envelope every user, assistant and system line shares. */
  #line(context: Context, sidechain: boolean, body: Record<string, unknown>, tail: Record<string, unknown>) {
    const uuid = this.rng.uuid();
    this.#at += this.rng.int(300, 25_000);
    this.#push({
      parentUuid: context.parent,
      isSidechain: sidechain,
      userType: 'external',
      cwd: this.file.cwd,
      sessionId: this.file.sessionId,
      version: this.#version,
      gitBranch: 'main',
      ...body,
      uuid,
      timestamp: new Date(this.#at).toISOString(),
      ...tail,
    });
    context.parent = uuid;
  }

  #user(context: Context, sidechain: boolean, content: unknown, toolUseResult?: unknown): void {
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    context.pending += Math.ceil(text.length / 4);
    this.#line(
      context,
      sidechain,
      { type: 'user', message: { role: 'user', content } },
      toolUseResult === undefined ? {} : { toolUseResult },
    );
  }

  /** One API response, one line per content block; `output_tokens` is partial until the last. */
  #respond(context: Context, sidechain: boolean, blocks: Array<Record<string, unknown>>): void {
    const { rng } = this;
    const id = `msg_01${rng.chars(22)}`;
    const requestId = `req_011C${rng.chars(18)}`;
    const input = rng.int(1, 40);
    const cacheWrite = context.pending + rng.int(0, 600);
    const cacheRead = context.tokens;
    const output = rng.int(20, 2_500);
    const partial = Math.min(output, rng.int(1, 12));
    const hour = this.#hourPart(sidechain, cacheWrite);
    const model = sidechain ? SUBAGENT_MODEL : this.#model;
    const split =
      this.#version === VERSIONS[0]
        ? {}
        : {
            cache_creation: { ephemeral_5m_input_tokens: cacheWrite - hour, ephemeral_1h_input_tokens: hour },
          };
    const endsWithTool = blocks[blocks.length - 1]!.type === 'tool_use';
    blocks.forEach((block, i) => {
      const last = i === blocks.length - 1;
      const usage = {
        input_tokens: input,
        cache_creation_input_tokens: cacheWrite,
        cache_read_input_tokens: cacheRead,
        ...split,
        output_tokens: last ? output : partial,
        service_tier: 'standard',
      };
      const message = {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [block],
        stop_reason: last ? (endsWithTool ? 'tool_use' : 'end_turn') : null,
        stop_sequence: null,
        usage,
      };
      this.#line(context, sidechain, { message }, { requestId, type: 'assistant' });
    });
    // The session buildcast makes of a transcript starts at its first request's final line.
    this.firstRequestAt ??= this.#at;
    const first = blocks.length > 1 ? partial : output;
    this.totals.requests += 1;
    addTokens(this.totals.tokens, { input, output: first, cacheRead, cacheWrite });
    addTokens(this.totals.finalTokens, { input, output, cacheRead, cacheWrite });
    addRequestCost(this.totals.cost, { model, input, output, cacheRead, cacheWrite, cacheWrite1h: hour });
    context.pending = 0;
    context.tokens += cacheWrite + output;
    if (context.tokens > this.#compactAt) context.tokens = rng.int(15_000, 30_000);
  }

  /** Optional thinking and text blocks before a response's last block. */
  #lead(): Array<Record<string, unknown>> {
    const { rng } = this;
    const blocks: Array<Record<string, unknown>> = [];
    if (rng.chance(0.45))
      blocks.push({ type: 'thinking', thinking: prose(rng, rng.int(1, 6)), signature: rng.chars(64) });
    if (rng.chance(0.6)) blocks.push({ type: 'text', text: prose(rng, rng.int(1, 3)) });
    return blocks;
  }

  /** A tool call and its result, sized like real ones: reads and command output of a few KB. */
  #toolStep(context: Context, sidechain: boolean): void {
    const { rng } = this;
    const toolId = `toolu_01${rng.chars(22)}`;
    const { name, input, result, toolUseResult } = toolCall(rng, this.file.cwd);
    this.#respond(context, sidechain, [...this.#lead(), { type: 'tool_use', id: toolId, name, input }]);
    this.#user(
      context,
      sidechain,
      [{ tool_use_id: toolId, type: 'tool_result', content: result }],
      toolUseResult,
    );
  }

  /** A Task tool call whose subagent runs as sidechain lines before its result comes back. */
  #task(): void {
    const { rng } = this;
    const toolId = `toolu_01${rng.chars(22)}`;
    const task = prompt(rng);
    this.#respond(this.#main, false, [
      ...this.#lead(),
      {
        type: 'tool_use',
        id: toolId,
        name: 'Task',
        input: { description: 'Investigate', prompt: task, subagent_type: 'general-purpose' },
      },
    ]);
    const side: Context = { tokens: rng.int(4_000, 9_000), pending: 0, parent: null };
    this.#user(side, true, task);
    for (let steps = rng.int(1, 4); steps > 0; steps--) this.#toolStep(side, true);
    const report = prose(rng, rng.int(3, 10));
    this.#respond(side, true, [{ type: 'text', text: report }]);
    this.#user(this.#main, false, [
      { tool_use_id: toolId, type: 'tool_result', content: [{ type: 'text', text: report }] },
    ]);
  }

  /** What Claude Code writes itself when a request is interrupted: no real usage. */
  #synthetic(): void {
    const message = {
      id: this.rng.uuid(),
      model: '<synthetic>',
      role: 'assistant',
      stop_reason: 'stop_sequence',
      stop_sequence: '',
      type: 'message',
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      content: [{ type: 'text', text: 'No response requested.' }],
    };
    this.#line(this.#main, false, { message }, { type: 'assistant' });
  }

  summary(): void {
    this.#push({ type: 'summary', summary: prose(this.rng, 1), leafUuid: this.rng.uuid() });
  }

  /** A prompt, up to `maxSteps` tool calls (now and then a subagent), and the closing answer. */
  turn(maxSteps = 6): void {
    const { rng } = this;
    this.#user(this.#main, false, prompt(rng));
    for (let steps = rng.int(1, maxSteps); steps > 0; steps--) {
      if (rng.chance(0.1)) this.#task();
      else this.#toolStep(this.#main, false);
      if (rng.chance(0.15)) {
        this.#line(
          this.#main,
          false,
          { content: 'Running PostToolUse hooks', level: 'info', subtype: 'informational' },
          { type: 'system' },
        );
      }
    }
    this.#respond(this.#main, false, [...this.#lead(), { type: 'text', text: prose(rng, rng.int(1, 5)) }]);
    if (rng.chance(0.05)) this.#synthetic();
    if (rng.chance(0.2)) {
      this.#push({
        type: 'file-history-snapshot',
        messageId: this.lastUuid,
        snapshot: { trackedFileBackups: {}, timestamp: new Date(this.#at).toISOString() },
        isSnapshotUpdate: false,
      });
    }
  }
}

/** Adds `from` to `to`. */
export function addTotals(to: TranscriptTotals, from: TranscriptTotals): void {
  to.bytes += from.bytes;
  to.lines += from.lines;
  to.requests += from.requests;
  addTokens(to.tokens, from.tokens);
  addTokens(to.finalTokens, from.finalTokens);
  addCosts(to.cost, from.cost);
}
