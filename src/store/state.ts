/**
 * @module
 * The small values buildcast keeps between restarts (read offsets, links between Claude Code
 * sessions and builds, Builder's tasks), each family under its own key prefix in the `kv` table.
 * The prefixes and the JSON encoding of each family live here and nowhere else: everyone else
 * sees a typed {@link Keyed} family.
 */
import type Database from 'better-sqlite3';
import type { Keyed, StateStorage } from '../core/storage.js';
import type { BuildTask } from '../collector/types.js';
import type { LineOffset } from '../collector/line-tail.js';
import type { FileOffset } from '../collector/transcript-tailer.js';
import type { SessionUsageState } from '../core/otlp-usage.js';

/** Every family of stored values. */
export interface StoredState extends StateStorage {
  /** Byte offsets into `events.jsonl` and log files, per file. */
  readonly lineOffsets: Keyed<LineOffset>;
  /** Byte offsets into Claude Code transcripts, per file. */
  readonly transcriptOffsets: Keyed<FileOffset>;
  /** Sessions deleted or pruned, with the time they went, so that none comes back from a file. */
  readonly removedSessions: Keyed<string>;
}

/** Reads a stored value back; null when it no longer has the family's shape. */
type Decode<T> = (value: unknown) => T | null;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const decodeLineOffset: Decode<LineOffset> = (v) => {
  if (!isRecord(v) || !isCount(v['offset']) || !isCount(v['ino'])) return null;
  const head = v['head'];
  return typeof head === 'string'
    ? { offset: v['offset'], ino: v['ino'], head }
    : { offset: v['offset'], ino: v['ino'] };
};

const decodeFileOffset: Decode<FileOffset> = (v) =>
  isRecord(v) && isCount(v['offset']) && isCount(v['size']) && isCount(v['ino'])
    ? { offset: v['offset'], size: v['size'], ino: v['ino'] }
    : null;

const decodeText: Decode<string> = (v) => (typeof v === 'string' ? v : null);
const decodeTrue: Decode<true> = (v) => (v === true || v === 1 ? true : null);

const decodeExternal: Decode<{ claudeId: string; workdir: string | null }> = (v) =>
  isRecord(v) &&
  typeof v['claudeId'] === 'string' &&
  (v['workdir'] === null || typeof v['workdir'] === 'string')
    ? { claudeId: v['claudeId'], workdir: v['workdir'] }
    : null;

/** Tasks were stored by buildcast itself from a parsed file, so an array is trusted as such. */
const decodeTasks: Decode<BuildTask[]> = (v) => (Array.isArray(v) ? (v as BuildTask[]) : null);

/** Usage was stored by buildcast itself from parsed points: the shape is checked, not each number. */
const decodeUsage: Decode<SessionUsageState> = (v) =>
  isRecord(v) && Array.isArray(v['series']) && Array.isArray(v['projects'])
    ? (v as unknown as SessionUsageState)
    : null;

/** Builds every family over the `kv` table of an open database. */
export function createStateStore(db: Database.Database): StoredState {
  const select = db.prepare<{ key: string }, string>('SELECT value FROM kv WHERE key = @key').pluck();
  const upsert = db.prepare<{ key: string; value: string }>(
    'INSERT INTO kv (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<{ key: string }>('DELETE FROM kv WHERE key = @key');
  const selectPrefix = db.prepare<{ prefix: string }, { key: string; value: string }>(
    'SELECT key, value FROM kv WHERE substr(key, 1, length(@prefix)) = @prefix ORDER BY key',
  );

  /** `plain` families store their text as is (as links always were), the others as JSON. */
  function family<T>(prefix: string, decode: Decode<T>, plain = false): Keyed<T> {
    const read = (text: string): T | null => {
      try {
        return decode(plain ? text : JSON.parse(text));
      } catch {
        // A damaged value loses that one entry, never the family.
        return null;
      }
    };
    return {
      get(key) {
        const text = select.get({ key: prefix + key });
        return text === undefined ? null : read(text);
      },
      set(key, value) {
        upsert.run({ key: prefix + key, value: plain ? String(value) : JSON.stringify(value) });
      },
      delete(key) {
        remove.run({ key: prefix + key });
      },
      all() {
        const values = new Map<string, T>();
        for (const { key, value } of selectPrefix.iterate({ prefix })) {
          const decoded = read(value);
          if (decoded !== null) values.set(key.slice(prefix.length), decoded);
        }
        return values;
      },
    };
  }

  return {
    lineOffsets: family('lines:', decodeLineOffset),
    transcriptOffsets: family('offset:', decodeFileOffset),
    claudeLinks: family('claude:', decodeText, true),
    externalSessions: family('external:', decodeExternal),
    claudeWithEvents: family('otel-events:', decodeTrue),
    buildTasks: family('tasks:', decodeTasks),
    otlpUsage: family('otlp-usage:', decodeUsage),
    removedSessions: family('removed:', decodeText, true),
    runHosts: family('host:', decodeText, true),
  };
}
