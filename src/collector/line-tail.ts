/**
 * @module
 * Reads the complete new lines of an append-only file (an `events.jsonl`, a log file) since the
 * last read: offsets are remembered through an injected store, a line still being written is
 * left for next time, and a file that shrank or was replaced is read again from the start.
 */
import { readRange } from './reader.js';

/** Where the reading of one file stands. */
export interface LineOffset {
  offset: number;
  ino: number;
}

export interface LineOffsetStore {
  get(file: string): LineOffset | null;
  set(file: string, value: LineOffset): void;
}

export type LineRead = { ok: true; lines: string[] } | { ok: false; reason: string; missing: boolean };

/** The most read from one file in one go; the rest is read on the next call. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** A line longer than this is cut: a log tail shows lines, not megabytes. */
const MAX_LINE_CHARS = 64 * 1024;

export class LineTail {
  readonly #offsets: LineOffsetStore;

  constructor(offsets: LineOffsetStore) {
    this.#offsets = offsets;
  }

  /** The complete lines added since the last read (all of them on the first read). */
  async read(file: string): Promise<LineRead> {
    const lines: string[] = [];
    for (;;) {
      const stored = this.#offsets.get(file);
      let start = stored?.offset ?? 0;
      const range = await readRange(file, start, CHUNK_BYTES);
      if (!range.ok) return range;
      if (stored && (range.size < stored.offset || range.ino !== stored.ino)) {
        // Truncated or replaced: what was read before is gone; read the new file whole.
        this.#offsets.set(file, { offset: 0, ino: range.ino });
        start = 0;
        continue;
      }
      const end = range.bytes.lastIndexOf(0x0a);
      if (end === -1) {
        // No complete line yet. A chunk with no newline at all is one huge line: skip it.
        if (range.bytes.length === CHUNK_BYTES) {
          lines.push(`${range.bytes.subarray(0, MAX_LINE_CHARS).toString('utf8')}… (line too long, cut)`);
          this.#offsets.set(file, { offset: start + range.bytes.length, ino: range.ino });
          continue;
        }
        return { ok: true, lines };
      }
      for (const line of range.bytes.subarray(0, end).toString('utf8').split('\n')) {
        const text = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (text.trim() !== '')
          lines.push(text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text);
      }
      this.#offsets.set(file, { offset: start + end + 1, ino: range.ino });
      if (start + range.bytes.length >= range.size) return { ok: true, lines };
    }
  }
}
