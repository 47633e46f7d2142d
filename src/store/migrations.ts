/**
 * @module
 * The store's schema: its history as migrations, and the row shapes of the current version.
 * Each migration runs once, in its own transaction, and moves `PRAGMA user_version` up by
 * one; a database that was never opened has version 0.
 *
 * Never edit a migration that has shipped: add a new one to the end of {@link migrations}.
 */
import type { Database } from 'better-sqlite3';

/** One schema step; it may throw, and the whole step is then rolled back. */
export type Migration = (db: Database) => void;

/** Version 1: sessions, their phase timeline, parse warnings and a key-value table. */
const createBaseSchema: Migration = (db) => {
  db.exec(`
    CREATE TABLE sessions (
      id               TEXT PRIMARY KEY NOT NULL,
      project          TEXT NOT NULL,
      workdir          TEXT,
      state            TEXT NOT NULL,
      activity         TEXT,
      current_phase    TEXT,
      phase_number     TEXT,
      phase_index      REAL,
      phase_total      REAL,
      progress_detail  TEXT,
      progress_percent REAL,
      test_iteration   INTEGER,
      started_at       TEXT NOT NULL,
      updated_at       TEXT NOT NULL,
      ended_at         TEXT,
      source           TEXT NOT NULL,
      tokens_total     INTEGER,
      cost_usd         REAL,
      phases_completed TEXT NOT NULL DEFAULT '[]',
      raw              TEXT
    );
    CREATE INDEX sessions_updated_at ON sessions (updated_at);
    CREATE INDEX sessions_project ON sessions (project);
    CREATE INDEX sessions_state ON sessions (state);

    CREATE TABLE phases (
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      position   INTEGER NOT NULL,
      name       TEXT NOT NULL,
      number     TEXT,
      idx        REAL,
      status     TEXT NOT NULL,
      started_at TEXT,
      ended_at   TEXT,
      PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID;

    CREATE TABLE warnings (
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      position   INTEGER NOT NULL,
      file       TEXT NOT NULL,
      reason     TEXT NOT NULL,
      at         TEXT NOT NULL,
      PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID;

    CREATE TABLE kv (
      key   TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
};

/**
 * Version 2: real token usage (one row per API request, each counted once by its key) and
 * test-fix iterations per session.
 */
const createMetricsSchema: Migration = (db) => {
  db.exec(`
    CREATE TABLE token_samples (
      key               TEXT PRIMARY KEY NOT NULL,
      source            TEXT NOT NULL,
      claude_session_id TEXT,
      cwd               TEXT,
      project           TEXT,
      at                INTEGER NOT NULL,
      model             TEXT NOT NULL,
      input             INTEGER NOT NULL,
      output            INTEGER NOT NULL,
      cache_read        INTEGER NOT NULL,
      cache_write       INTEGER NOT NULL,
      cost_usd          REAL,
      sidechain         INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX token_samples_cwd ON token_samples (cwd, at);
    CREATE INDEX token_samples_claude ON token_samples (claude_session_id, at);
    CREATE INDEX token_samples_project ON token_samples (project, at);

    -- No foreign key: a session's row is written later than its first iteration (coalescing).
    CREATE TABLE test_iterations (
      session_id TEXT NOT NULL,
      iteration  INTEGER NOT NULL,
      passed     INTEGER,
      failed     INTEGER,
      failing    TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (session_id, iteration)
    ) WITHOUT ROWID;
  `);
};

/** Version 3: agents inside builds, and each session's bounded log tail. */
const createAgentsAndLogsSchema: Migration = (db) => {
  db.exec(`
    CREATE TABLE agents (
      session_id TEXT NOT NULL,
      agent_id   TEXT NOT NULL,
      data       TEXT NOT NULL,
      PRIMARY KEY (session_id, agent_id)
    ) WITHOUT ROWID;

    CREATE TABLE log_lines (
      session_id TEXT NOT NULL,
      seq        INTEGER NOT NULL,
      at         TEXT NOT NULL,
      level      TEXT NOT NULL,
      text       TEXT NOT NULL,
      source     TEXT NOT NULL,
      PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID;
  `);
};

/**
 * Version 4: cache writes priced by how long they live, so each sample keeps the part written
 * to the 1-hour cache, and whether it is a running total of many requests (OpenTelemetry
 * metrics) rather than one. Rows written before read as all 5-minute writes of one request.
 */
const addCacheLifetimeSchema: Migration = (db) => {
  db.exec(`
    ALTER TABLE token_samples ADD COLUMN cache_write_1h INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE token_samples ADD COLUMN summed INTEGER NOT NULL DEFAULT 0;
  `);
};

/**
 * Version 5: whose clock each phase's times are on (SPEC 2 "The build's own clock"). Phases
 * stored before were timed as they were received.
 */
const addPhaseClock: Migration = (db) => {
  db.exec(`ALTER TABLE phases ADD COLUMN clock TEXT NOT NULL DEFAULT 'receipt'`);
};

/** A `sessions` row as the store binds and reads it (every column but `raw`). */
export interface SessionRow {
  id: string;
  project: string;
  workdir: string | null;
  state: string;
  activity: string | null;
  current_phase: string | null;
  phase_number: string | null;
  phase_index: number | null;
  phase_total: number | null;
  progress_detail: string | null;
  progress_percent: number | null;
  test_iteration: number | null;
  started_at: string;
  updated_at: string;
  ended_at: string | null;
  source: string;
  tokens_total: number | null;
  cost_usd: number | null;
  phases_completed: string;
}

/** A `phases` row: one span of a session's timeline. */
export interface PhaseRow {
  session_id: string;
  position: number;
  name: string;
  number: string | null;
  idx: number | null;
  status: string;
  started_at: string | null;
  ended_at: string | null;
  /** `build` or `receipt`: whose clock its times are on. */
  clock: string;
}

/** A `warnings` row: one current problem with a session's sources. */
export interface WarningRow {
  session_id: string;
  position: number;
  file: string;
  reason: string;
  at: string;
}

/** Upsert parameters: a session row plus its raw text, or `keep_raw = 1` to leave it. */
export type SessionParams = SessionRow & { raw: string | null; keep_raw: 0 | 1 };

/**
 * Every `sessions` column but `raw`, which only `loadRaw` reads: a restart must not pull
 * megabytes of phase files into memory.
 */
export const SESSION_COLUMNS = (
  'id project workdir state activity current_phase phase_number phase_index phase_total progress_detail ' +
  'progress_percent test_iteration started_at updated_at ended_at source tokens_total cost_usd phases_completed'
).split(' ');

/** Every migration in order; `migrations[i]` takes the database from version i to i + 1. */
export const migrations: readonly Migration[] = [
  createBaseSchema,
  createMetricsSchema,
  createAgentsAndLogsSchema,
  addCacheLifetimeSchema,
  addPhaseClock,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = migrations.length;

/**
 * Brings `db` up to {@link SCHEMA_VERSION}. Refuses a database written by a newer build rather
 * than guess at a schema it does not know, and lets any migration failure propagate: a half
 * migrated store must stop the server, not limp on.
 */
export function runMigrations(db: Database, list: readonly Migration[] = migrations): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new Error(
      `database ${db.name} has schema version ${current}, but this buildcast only knows up to ` +
        `version ${list.length}; it was written by a newer buildcast. Upgrade buildcast, or pass ` +
        `--db with another file.`,
    );
  }
  for (let version = current; version < list.length; version++) {
    const migrate = list[version] as Migration;
    const step = db.transaction(() => {
      migrate(db);
      // user_version lives in the file header and is part of the transaction, so a failed
      // step leaves the version where it was.
      db.pragma(`user_version = ${version + 1}`);
    });
    try {
      step.immediate();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`database ${db.name}: migration to schema version ${version + 1} failed: ${reason}`, {
        cause: err,
      });
    }
  }
}
