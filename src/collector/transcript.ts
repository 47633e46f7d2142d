/**
 * @module
 * One line of a Claude Code transcript (`~/.claude/projects/<folder>/<sessionId>.jsonl`,
 * SPEC 1.5) turned into a token sample. Only assistant lines carry usage; every other line type
 * (user, summary, system, file-history-snapshot...) is skipped without complaint.
 */
import { Lru } from '../shared/lru.js';
import { truncateText } from './json-text.js';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH } from './limits.js';
import type { TokenSample } from './types.js';

/** Lines longer than this are reported, never parsed: no real response needs that much. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** Claude Code's placeholder for messages it made up itself (errors, interruptions): no real usage. */
const SYNTHETIC_MODEL = '<synthetic>';

export type TranscriptLine =
  { kind: 'sample'; sample: TokenSample } | { kind: 'skip' } | { kind: 'problem'; reason: string };

const SKIP: TranscriptLine = { kind: 'skip' };

const problem = (reason: string): TranscriptLine => ({ kind: 'problem', reason });

type TokenCount = { ok: true; value: number } | { ok: false; reason: string };

function tokenCount(value: unknown, field: string, required: boolean): TokenCount {
  if (value === undefined || value === null) {
    return required ? { ok: false, reason: `usage.${field} missing` } : { ok: true, value: 0 };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, reason: `usage.${field} is not a number` };
  }
  if (value < 0) return { ok: false, reason: `usage.${field} is negative` };
  // Beyond 2^53 a number is no longer exact: no request used that many tokens.
  if (!Number.isSafeInteger(value))
    return { ok: false, reason: `usage.${field} is not a whole number below 2^53` };
  return { ok: true, value };
}

type CacheWrites = { ok: true; total: number; hour: number } | { ok: false; reason: string };

/**
 * All cache writes and the 1-hour part of them. `cache_creation_input_tokens` is the total;
 * `cache_creation.{ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}` splits it by how long
 * the entries live. Without the split every write is a 5-minute one; without the total, the
 * split adds up to it.
 */
function cacheWrites(usage: Record<string, unknown>): CacheWrites {
  const given = usage.cache_creation_input_tokens;
  const total = tokenCount(given, 'cache_creation_input_tokens', false);
  if (!total.ok) return total;
  const split = usage.cache_creation;
  if (!isObject(split)) return { ok: true, total: total.value, hour: 0 };
  const fiveMin = tokenCount(
    split.ephemeral_5m_input_tokens,
    'cache_creation.ephemeral_5m_input_tokens',
    false,
  );
  if (!fiveMin.ok) return fiveMin;
  const hour = tokenCount(split.ephemeral_1h_input_tokens, 'cache_creation.ephemeral_1h_input_tokens', false);
  if (!hour.ok) return hour;
  if (given !== undefined && given !== null) {
    // The total stays what the tokens add up to; the split only says which rate applies.
    return { ok: true, total: total.value, hour: Math.min(hour.value, total.value) };
  }
  const sum = fiveMin.value + hour.value;
  if (!Number.isSafeInteger(sum))
    return { ok: false, reason: 'usage.cache_creation is not a whole number below 2^53' };
  return { ok: true, total: sum, hour: hour.value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of an API request by its id, shared by every source that knows the id. */
export const requestKey = (requestId: string | null): string | null =>
  requestId ? `req:${requestId}` : null;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Ids and model names are cut to {@link MAX_NAME_LENGTH}; no real one is longer. */
const name = (value: unknown): string | null => {
  const found = text(value);
  return found === null ? null : truncateText(found, MAX_NAME_LENGTH);
};

/** Transcript times past year 9999 (or before 1970) are no real request's. */
const LATEST_MS = Date.UTC(10000, 0, 1);

/**
 * Parses one transcript line (without its newline). A streamed response is written as several
 * lines sharing one `message.id` + `requestId`, and downstream counts each key once. The key is
 * `req:<requestId>` when there is one, the same key OpenTelemetry's `api_request` event gets for
 * that request, so a build watched both ways is not counted twice; else `msg:<message.id>`.
 */
export function parseTranscriptLine(line: string): TranscriptLine {
  if (line.length > MAX_LINE_BYTES) return problem('line over 4 MiB');
  const body = line.trim();
  if (body === '') return SKIP;
  // Most bytes of a transcript are user lines with tool output; only lines that mention usage
  // or the assistant role (unescaped, so not inside a string) can matter, and the rest are
  // checked for shape only, which is far cheaper than parsing them.
  if (!body.includes('"usage"') && !body.includes('"assistant"')) {
    return body.startsWith('{') && body.endsWith('}') ? SKIP : problem('malformed JSON');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return problem('malformed JSON');
  }
  if (!isObject(parsed)) return problem('not a JSON object');
  const message = isObject(parsed.message) ? parsed.message : null;
  const usage = message && isObject(message.usage) ? message.usage : null;
  if (parsed.type !== 'assistant') {
    // Lines of another type never carry usage; lines without a type are read only if they do.
    if (parsed.type !== undefined || usage === null) return SKIP;
  }
  const model = name(message?.model) ?? 'unknown';
  if (model === SYNTHETIC_MODEL) return SKIP;
  if (usage === null) return problem(message === null ? 'no message' : 'no usage');
  const messageId = name(message?.id);
  if (messageId === null) return problem('no message id');

  const input = tokenCount(usage.input_tokens, 'input_tokens', true);
  if (!input.ok) return problem(input.reason);
  const output = tokenCount(usage.output_tokens, 'output_tokens', true);
  if (!output.ok) return problem(output.reason);
  const cacheWrite = cacheWrites(usage);
  if (!cacheWrite.ok) return problem(cacheWrite.reason);
  const cacheRead = tokenCount(usage.cache_read_input_tokens, 'cache_read_input_tokens', false);
  if (!cacheRead.ok) return problem(cacheRead.reason);

  if (typeof parsed.timestamp !== 'string') return problem('no timestamp');
  const at = Date.parse(parsed.timestamp);
  if (Number.isNaN(at) || at < 0 || at >= LATEST_MS) return problem('invalid timestamp');

  // Older Claude Code versions wrote the price they computed; newer ones leave it to us.
  const cost = parsed.costUSD;
  const costUsd = typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : null;

  return {
    kind: 'sample',
    sample: {
      key: requestKey(name(parsed.requestId)) ?? `msg:${messageId}`,
      source: 'transcript',
      claudeSessionId: name(parsed.sessionId),
      cwd:
        typeof parsed.cwd === 'string' && parsed.cwd !== ''
          ? truncateText(parsed.cwd, MAX_PATH_LENGTH)
          : null,
      project: null,
      at,
      model,
      input: input.value,
      output: output.value,
      cacheRead: cacheRead.value,
      cacheWrite: cacheWrite.total,
      cacheWrite1h: cacheWrite.hour,
      costUsd,
      sidechain: parsed.isSidechain === true,
      // Subagent transcripts name their agent on every line (`agentId`).
      agentId: parsed.isSidechain === true ? name(parsed.agentId) : null,
    },
  };
}

/**
 * The keys seen lately in one file, bounded: the lines of one streamed response sit close
 * together, so a few hundred keys catch every repeat in a normal stream.
 */
export class RecentKeys {
  /** Key → the most tokens a line with that key has shown. */
  readonly #keys: Lru<string, number>;

  constructor(limit = 256) {
    this.#keys = new Lru(limit);
  }

  /**
   * Whether a line says something new about its request: a key not seen, or more tokens than
   * before. A streamed response is written with partial `output_tokens` until its last line,
   * so the line with the most tokens is the true count.
   */
  offer(key: string, tokens: number): boolean {
    const seen = this.#keys.get(key);
    if (seen !== undefined && tokens <= seen) return false;
    this.#keys.set(key, tokens);
    return true;
  }
}
