/**
 * @module
 * Reading a transcript by the chunk (SPEC 1.5): only lines that can carry usage are decoded (a
 * byte-level look for `"usage"` and `"assistant"` first), a half-written last line is left for
 * the next read, and a streamed response counts once, by its line with the most tokens.
 */
import { MAX_LINE_BYTES, parseTranscriptLine, type RecentKeys, type TranscriptLine } from './transcript.js';

const SKIP: TranscriptLine = { kind: 'skip' };
const problem = (reason: string): TranscriptLine => ({ kind: 'problem', reason });
import type { TokenSample } from './types.js';

const tokensOf = (s: TokenSample) => s.input + s.output + s.cacheRead + s.cacheWrite;

export interface TranscriptChunk {
  /** New samples, each key once (as far as `recent` remembers). */
  samples: TokenSample[];
  /** Problems by the 0-based index of their line within the chunk. */
  problems: Array<{ index: number; reason: string }>;
  /** Complete lines read. */
  lines: number;
  /** Bytes up to and including the last newline; what follows is a line still being written. */
  consumed: number;
}

const USAGE = Buffer.from('"usage"');
const ASSISTANT = Buffer.from('"assistant"');
const SPACE = new Set([0x20, 0x09, 0x0d]);

/** The next position of `pattern` at or after `from`, or Infinity. */
function nextAt(bytes: Buffer, pattern: Buffer, from: number): number {
  const at = bytes.indexOf(pattern, from);
  return at === -1 ? Number.POSITIVE_INFINITY : at;
}

/** A line that cannot carry usage is checked for shape on its bytes, never decoded or parsed. */
function looksLikeObject(bytes: Buffer, start: number, end: number): boolean | null {
  let first = start;
  while (first < end && SPACE.has(bytes[first]!)) first++;
  if (first === end) return null;
  let last = end - 1;
  while (last > first && SPACE.has(bytes[last]!)) last--;
  return bytes[first] === 0x7b && bytes[last] === 0x7d;
}

/**
 * Parses the complete lines of a chunk of transcript bytes; an unfinished last line is left
 * alone. Most bytes of a transcript are tool output on lines that carry no usage: those lines
 * are found by scanning the bytes for `"usage"` and `"assistant"` once, and only the lines that
 * hold either are decoded and parsed.
 */
export function parseTranscriptChunk(bytes: Buffer, recent: RecentKeys): TranscriptChunk {
  const chunk: TranscriptChunk = { samples: [], problems: [], lines: 0, consumed: 0 };
  const last = bytes.lastIndexOf(10);
  if (last < 0) return chunk;
  const positions = new Map<string, number>();
  let usageAt = nextAt(bytes, USAGE, 0);
  let assistantAt = nextAt(bytes, ASSISTANT, 0);
  for (let start = 0; start <= last;) {
    // Splitting on the newline byte is safe in UTF-8: it never occurs inside a multi-byte character.
    const end = bytes.indexOf(10, start);
    while (usageAt < start) usageAt = nextAt(bytes, USAGE, start);
    while (assistantAt < start) assistantAt = nextAt(bytes, ASSISTANT, start);
    let parsed: TranscriptLine;
    if (end - start > MAX_LINE_BYTES) parsed = problem('line over 4 MiB');
    else if (usageAt < end || assistantAt < end)
      parsed = parseTranscriptLine(bytes.toString('utf8', start, end));
    else {
      const shape = looksLikeObject(bytes, start, end);
      parsed = shape === false ? problem('malformed JSON') : SKIP;
    }
    if (parsed.kind === 'sample') {
      const { sample } = parsed;
      if (recent.offer(sample.key, tokensOf(sample))) {
        // Within a chunk a request's later, larger line takes the place of its earlier one.
        const at = positions.get(sample.key);
        if (at === undefined) positions.set(sample.key, chunk.samples.push(sample) - 1);
        else chunk.samples[at] = sample;
      }
    } else if (parsed.kind === 'problem') {
      chunk.problems.push({ index: chunk.lines, reason: parsed.reason });
    }
    chunk.lines += 1;
    start = end + 1;
  }
  chunk.consumed = last + 1;
  return chunk;
}

/** What one chunk fed to a {@link TranscriptStream} gave. */
export type TranscriptFeed = Omit<TranscriptChunk, 'consumed'> & {
  /** File offset just after the last complete line (or over-long line skipped). */
  offset: number;
};

/**
 * A file's bytes, fed chunk by chunk from a starting offset, turned into parsed lines. A line
 * split across chunks is kept until its end arrives; a line over {@link MAX_LINE_BYTES} is
 * dropped as it streams past and reported once its newline is seen, so memory stays bounded.
 */
export class TranscriptStream {
  readonly #recent: RecentKeys;
  /** Bytes after the last newline, still waiting for theirs. */
  #carry: Buffer | null = null;
  /** File position of the first byte not yet parsed (the carry's first byte). */
  #carryStart: number;
  /** File position just after the bytes fed so far. */
  #end: number;
  #offset: number;
  #skipping = false;

  constructor(start: number, recent: RecentKeys) {
    this.#carryStart = this.#end = this.#offset = start;
    this.#recent = recent;
  }

  feed(bytes: Buffer): TranscriptFeed {
    this.#end += bytes.length;
    let buffer = this.#carry ? Buffer.concat([this.#carry, bytes]) : bytes;
    this.#carry = null;
    let skipped = false;
    if (this.#skipping) {
      const newline = buffer.indexOf(10);
      if (newline < 0) {
        this.#carryStart = this.#end;
        return { samples: [], problems: [], lines: 0, offset: this.#offset };
      }
      skipped = true;
      buffer = buffer.subarray(newline + 1);
      this.#carryStart += newline + 1;
      this.#skipping = false;
    }
    const chunk = parseTranscriptChunk(buffer, this.#recent);
    this.#offset = this.#carryStart + chunk.consumed;
    const rest = buffer.length - chunk.consumed;
    if (rest > MAX_LINE_BYTES) {
      this.#skipping = true;
      this.#carryStart = this.#end;
    } else {
      this.#carry = rest > 0 ? buffer.subarray(chunk.consumed) : null;
      this.#carryStart = this.#end - rest;
    }
    if (!skipped)
      return { samples: chunk.samples, problems: chunk.problems, lines: chunk.lines, offset: this.#offset };
    return {
      samples: chunk.samples,
      problems: [
        { index: 0, reason: 'line over 4 MiB' },
        ...chunk.problems.map(({ index, reason }) => ({ index: index + 1, reason })),
      ],
      lines: chunk.lines + 1,
      offset: this.#offset,
    };
  }
}
