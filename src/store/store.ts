/**
 * @module
 * The store: the one owner of SQL in buildcast (SPEC 7, "A restart loses nothing").
 *
 * better-sqlite3 in WAL mode, prepared statements made once, named parameters, synchronous
 * transactions. Sessions keep real columns for what queries need; the phase timeline and the
 * parse warnings live in their own tables and are rebuilt into each {@link Session} on load.
 * Nothing else in the project imports better-sqlite3: everyone else depends on {@link Store}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Session } from '../shared/protocol.js';
import type { ActivityStorage, MetricsStorage, SessionStorage, SessionWrite } from '../core/storage.js';
import { createActivityStore } from './activity.js';
import { createMetricsStore } from './metrics.js';
import { createStateStore, type StoredState } from './state.js';
import { migrations, runMigrations, SESSION_COLUMNS } from './migrations.js';
import type { Migration, PhaseRow, SessionParams, SessionRow, WarningRow } from './migrations.js';
import { groupBySession, toPhaseRow, toPhaseSpan, toSession, toSessionParams, toWarning } from './rows.js';

/** Everything buildcast keeps across restarts. */
export interface Store extends SessionStorage {
  /** The file the store lives in, or `:memory:`. */
  readonly path: string;
  /** Every stored session, fully rebuilt (timeline, warnings), oldest `updatedAt` first. */
  loadSessions(): Session[];
  /** The last raw phase file (or push body) stored for a session; null when none. */
  loadRaw(id: string): string | null;
  /** Upserts every session of the batch, replacing its phases and warnings, in one transaction. */
  saveSessions(batch: readonly SessionWrite[]): void;
  /**
   * Removes a session with its phases, warnings, test iterations, agents and log lines, and
   * remembers its id as removed (at `atIso`); false when no such session was stored.
   */
  deleteSession(id: string, atIso?: string): boolean;
  /** {@link deleteSession} for many, in one transaction; returns how many were stored. */
  deleteSessions(ids: readonly string[], atIso: string): number;
  /** The ids of removed sessions. */
  loadRemovedIds(): string[];
  countSessions(): number;
  /** Small typed values kept between restarts (offsets, links, tasks). */
  readonly state: StoredState;
  /** Token samples and test iterations. */
  readonly metrics: MetricsStorage;
  /** Agents and log tails. */
  readonly activity: ActivityStorage;
  /** Checkpoints the WAL and closes the file. Safe to call more than once. */
  close(): void;
}

/**
 * Where the database lives when `--db` is not given: the per-user data folder of each
 * platform. `env` is passed in because only the composition root reads `process.env`.
 */
export function defaultDbPath(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'buildcast', 'buildcast.db');
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'buildcast', 'buildcast.db');
  }
  // The XDG base directory spec says relative values must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const data = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(data, 'buildcast', 'buildcast.db');
}

const UPSERT_SESSION = `
  INSERT INTO sessions (${SESSION_COLUMNS.join(', ')}, raw)
  VALUES (${SESSION_COLUMNS.map((c) => `@${c}`).join(', ')}, @raw)
  ON CONFLICT (id) DO UPDATE SET
    ${SESSION_COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(',\n    ')},
    raw = CASE WHEN @keep_raw = 1 THEN sessions.raw ELSE excluded.raw END`;

export interface OpenStoreOptions {
  /** The schema history to apply; only tests pass anything but the real one. */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating when needed) the database at `file`, or an in-memory one for `:memory:`,
 * and brings its schema up to date. Throws when the file cannot be opened, was written by a
 * newer buildcast, or a migration fails: a store that cannot be trusted must stop start-up.
 */
export function openStore(file: string, options: OpenStoreOptions = {}): Store {
  const inMemory = file === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only a power cut can lose
    // the last transactions, which the next phase file write brings back anyway.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    runMigrations(db, options.migrations ?? migrations);
    return createStore(db, file, inMemory);
  } catch (err) {
    db.close();
    throw err;
  }
}

function createStore(db: Database.Database, file: string, inMemory: boolean): Store {
  const upsertSession = db.prepare<SessionParams>(UPSERT_SESSION);
  const deletePhases = db.prepare<{ id: string }>('DELETE FROM phases WHERE session_id = @id');
  const insertPhase = db.prepare<PhaseRow>(
    `INSERT INTO phases (session_id, position, name, number, idx, status, started_at, ended_at, clock)
     VALUES (@session_id, @position, @name, @number, @idx, @status, @started_at, @ended_at, @clock)`,
  );
  const deleteWarnings = db.prepare<{ id: string }>('DELETE FROM warnings WHERE session_id = @id');
  const insertWarning = db.prepare<WarningRow>(
    `INSERT INTO warnings (session_id, position, file, reason, at)
     VALUES (@session_id, @position, @file, @reason, @at)`,
  );
  const selectSessions = db.prepare<[], SessionRow>(
    `SELECT ${SESSION_COLUMNS.join(', ')} FROM sessions ORDER BY updated_at, id`,
  );
  const selectPhases = db.prepare<[], PhaseRow>('SELECT * FROM phases ORDER BY session_id, position');
  const selectWarnings = db.prepare<[], WarningRow>('SELECT * FROM warnings ORDER BY session_id, position');
  const selectRaw = db.prepare<{ id: string }, { raw: string | null }>(
    'SELECT raw FROM sessions WHERE id = @id',
  );
  const deleteSessionRow = db.prepare<{ id: string }>('DELETE FROM sessions WHERE id = @id');
  // Test iterations, agents and log lines have no foreign key (they may arrive before the row).
  const deleteRelated = ['test_iterations', 'agents', 'log_lines'].map((table) =>
    db.prepare<{ id: string }>(`DELETE FROM ${table} WHERE session_id = @id`),
  );
  const state = createStateStore(db);
  const removeAll = db.transaction((ids: readonly string[], at: string) => {
    let stored = 0;
    for (const id of ids) {
      stored += deleteSessionRow.run({ id }).changes;
      for (const statement of deleteRelated) statement.run({ id });
      state.runHosts.delete(id);
      // Remembered even when the row was never written yet (its write was still waiting).
      state.removedSessions.set(id, at);
    }
    return stored;
  });
  const countRows = db.prepare<[], number>('SELECT count(*) FROM sessions').pluck();

  const saveAll = db.transaction((batch: readonly SessionWrite[]) => {
    for (const { session, raw } of batch) {
      upsertSession.run(toSessionParams(session, raw));
      deletePhases.run({ id: session.id });
      session.phases.forEach((phase, position) => insertPhase.run(toPhaseRow(session.id, position, phase)));
      deleteWarnings.run({ id: session.id });
      session.warnings.forEach(({ file: source, reason, at }, position) =>
        insertWarning.run({ session_id: session.id, position, file: source, reason, at }),
      );
    }
  });

  return {
    path: file,
    state,
    metrics: createMetricsStore(db),
    activity: createActivityStore(db),
    loadSessions() {
      // One query per table, grouped here: a restart with 10,000 sessions must not issue
      // 20,000 follow-up queries.
      // Rows are streamed, not gathered first: a restart's memory peak is what stays high.
      const phases = groupBySession(selectPhases.iterate(), toPhaseSpan);
      const warnings = groupBySession(selectWarnings.iterate(), toWarning);
      const sessions: Session[] = [];
      for (const row of selectSessions.iterate()) {
        sessions.push(toSession(row, phases.get(row.id) ?? [], warnings.get(row.id) ?? []));
      }
      return sessions;
    },
    loadRaw: (id) => selectRaw.get({ id })?.raw ?? null,
    saveSessions(batch) {
      if (batch.length > 0) saveAll(batch);
    },
    deleteSession: (id, atIso = new Date().toISOString()) => removeAll([id], atIso) > 0,
    deleteSessions: (ids, atIso) => (ids.length === 0 ? 0 : removeAll(ids, atIso)),
    loadRemovedIds: () => [...state.removedSessions.all().keys()],
    countSessions: () => countRows.get() ?? 0,
    close() {
      if (!db.open) return;
      try {
        // Folding the WAL back into the main file leaves one self-contained file behind.
        if (!inMemory) db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    },
  };
}
