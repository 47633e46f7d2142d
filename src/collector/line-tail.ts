/**
 * @module
 * Reads the complete new lines of an append-only file (an `events.jsonl`, a log file) since the
 * last read: offsets are remembered through an injected store, a line still being written is
 * left for next time, and a file that shrank or was replaced is read again from the start.
 */
import { createHash } from 'node:crypto';
import { readRange } from './reader.js';

/** Where the reading of one file stands. */
export interface LineOffset {
  offset: number;
  ino: number;
  /**
   * The file's first bytes (up to {@link HEAD_BYTES}) when it was first read, as
   * `<length>:<sha1>`: a file removed and written again may get the same inode, and only its
   * first bytes tell it apart.
   */
  head?: string;
}

export interface LineOffsetStore {
  get(file: string): LineOffset | null;
  set(file: string, value: LineOffset): void;
}

/**
 * What one read gave. `fromStart` says the read began at the file's first byte: a file not read
 * before, or one that was truncated or replaced, so a new log (often a new run's) begins here.
 */
export type LineRead =
  { ok: true; lines: string[]; fromStart: boolean } | { ok: false; reason: string; missing: boolean };

/** The most read from one file in one go; the rest is read on the next call. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** A line longer than this is cut: a log tail shows lines, not megabytes. */
const MAX_LINE_CHARS = 64 * 1024;
/** How much of a file's start identifies it: an event log's first line, with its time and sequence. */
const HEAD_BYTES = 512;

const fingerprint = (bytes: Buffer): string =>
  `${bytes.length}:${createHash('sha1').update(bytes).digest('hex')}`;

export class LineTail {
  readonly #offsets: LineOffsetStore;

  constructor(offsets: LineOffsetStore) {
    this.#offsets = offsets;
  }

  /** The complete lines added since the last read (all of them on the first read). */
  async read(file: string): Promise<LineRead> {
    const lines: string[] = [];
    let fromStart: boolean | null = null;
    for (;;) {
      const stored = this.#offsets.get(file);
      const start = stored?.offset ?? 0;
      fromStart ??= start === 0;
      const known = stored?.head === undefined ? 0 : Number.parseInt(stored.head, 10) || 0;
      const range = await readRange(file, start, CHUNK_BYTES, known);
      if (!range.ok) return range;
      const replaced =
        stored !== null &&
        (range.size < stored.offset ||
          range.ino !== stored.ino ||
          (stored.head !== undefined && fingerprint(range.head) !== stored.head));
      if (replaced) {
        // Truncated or replaced: what was read before is gone; read the new file whole.
        this.#offsets.set(file, { offset: 0, ino: range.ino });
        fromStart = true;
        continue;
      }
      // Known from the first read at the file's start; offsets kept by older versions have none.
      const head = stored?.head ?? (start === 0 ? fingerprint(range.bytes.subarray(0, HEAD_BYTES)) : null);
      const save = (offset: number): void =>
        this.#offsets.set(
          file,
          head === null ? { offset, ino: range.ino } : { offset, ino: range.ino, head },
        );
      const end = range.bytes.lastIndexOf(0x0a);
      if (end === -1) {
        // No complete line yet. A chunk with no newline at all is one huge line: skip it.
        if (range.bytes.length === CHUNK_BYTES) {
          lines.push(`${range.bytes.subarray(0, MAX_LINE_CHARS).toString('utf8')}… (line too long, cut)`);
          save(start + range.bytes.length);
          continue;
        }
        return { ok: true, lines, fromStart };
      }
      for (const line of range.bytes.subarray(0, end).toString('utf8').split('\n')) {
        const text = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (text.trim() !== '')
          lines.push(text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text);
      }
      save(start + end + 1);
      if (start + range.bytes.length >= range.size) return { ok: true, lines, fromStart };
    }
  }
}
