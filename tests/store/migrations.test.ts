import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/shared/protocol.js';
import { openStore } from '../../src/store/store.js';
import type { Store } from '../../src/store/store.js';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION, migrations, runMigrations } from '../../src/store/migrations.js';
import type { TokenSample } from '../../src/collector/types.js';
import type { Migration } from '../../src/store/migrations.js';

function makeSession(): Session {
  return {
    id: 'weather-app-20261120T140211Z',
    project: 'weather-app',
    workdir: null,
    state: 'running',
    activity: 'testing',
    currentPhase: 'Test',
    phaseNumber: '4/7',
    phaseIndex: 4,
    phaseTotal: 7,
    phasesCompleted: [],
    progressDetail: null,
    progressPercent: null,
    testIteration: null,
    startedAt: '2026-11-20T14:02:11Z',
    updatedAt: '2026-11-20T14:19:40Z',
    endedAt: null,
    source: 'live',
    phases: [],
    warnings: [],
    tokensTotal: null,
    costUsd: null,
  };
}

/** Reads a big-endian 32-bit value from the SQLite file header; offset 60 is user_version. */
function headerInt(file: string, offset: number): number {
  return fs.readFileSync(file).readUInt32BE(offset);
}

let dir: string;
let opened: Store[];

function open(file = path.join(dir, 'buildcast.db')): Store {
  const store = openStore(file);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildcast-'));
  opened = [];
});

afterEach(() => {
  for (const store of opened) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('schema migrations', () => {
  it('records the schema version in user_version', () => {
    const file = path.join(dir, 'buildcast.db');
    open(file).close();
    expect(SCHEMA_VERSION).toBeGreaterThan(0);
    expect(headerInt(file, 60)).toBe(SCHEMA_VERSION);
    // Opening again runs no migration twice and keeps the version.
    open(file).close();
    expect(headerInt(file, 60)).toBe(SCHEMA_VERSION);
  });

  it('refuses a database written by a newer buildcast, naming both versions', () => {
    const file = path.join(dir, 'buildcast.db');
    const store = open(file);
    store.saveSessions([{ session: makeSession() }]);
    store.close();
    const bytes = fs.readFileSync(file);
    bytes.writeUInt32BE(SCHEMA_VERSION + 5, 60);
    fs.writeFileSync(file, bytes);

    expect(() => openStore(file)).toThrow(
      new RegExp(`schema version ${SCHEMA_VERSION + 5}.*only knows up to version ${SCHEMA_VERSION}.*newer`),
    );
    // Nothing was changed by the refused open.
    expect(headerInt(file, 60)).toBe(SCHEMA_VERSION + 5);
  });

  it('reports a failing migration and rolls that step back, keeping the data', () => {
    const file = path.join(dir, 'buildcast.db');
    const store = open(file);
    store.saveSessions([{ session: makeSession() }]);
    store.close();

    const createExtra: Migration = (db) => void db.exec('CREATE TABLE extra (x TEXT)');
    const failing: Migration[] = [
      ...migrations,
      (db) => {
        createExtra(db);
        throw new Error('disk on fire');
      },
    ];
    expect(() => openStore(file, { migrations: failing })).toThrow(
      `migration to schema version ${SCHEMA_VERSION + 1} failed: disk on fire`,
    );
    expect(headerInt(file, 60)).toBe(SCHEMA_VERSION);

    // The failed step left nothing behind: a good step can create the very same table.
    const upgraded = openStore(file, { migrations: [...migrations, createExtra] });
    opened.push(upgraded);
    expect(upgraded.countSessions()).toBe(1);
    upgraded.close();
    expect(headerInt(file, 60)).toBe(SCHEMA_VERSION + 1);
  });

  it('keeps the token samples of a version 3 database, read as 5-minute writes of one request each', () => {
    const file = path.join(dir, 'buildcast.db');
    const old = new Database(file);
    runMigrations(old, migrations.slice(0, 3));
    old
      .prepare(
        `INSERT INTO token_samples
           (key, source, claude_session_id, cwd, project, at, model, input, output, cache_read, cache_write, cost_usd, sidechain)
         VALUES ('req:req_011A', 'transcript', 'cc-1', '/w', NULL, 1763647331120, 'claude-sonnet-4-5-20250929', 4, 187, 0, 12034, NULL, 0)`,
      )
      .run();
    old.close();
    expect(headerInt(file, 60)).toBe(3);

    // Opening runs the step to the current version; the old row reads with the new columns.
    const store = open(file);
    expect(store.metrics.samplesForClaudeSession('cc-1')).toEqual([
      {
        key: 'req:req_011A',
        source: 'transcript',
        claudeSessionId: 'cc-1',
        cwd: '/w',
        project: null,
        at: 1763647331120,
        model: 'claude-sonnet-4-5-20250929',
        input: 4,
        output: 187,
        cacheRead: 0,
        cacheWrite: 12034,
        cacheWrite1h: 0,
        costUsd: null,
        sidechain: false,
      },
    ]);

    // New rows keep their 1-hour writes, and running totals stay marked as totals.
    const request: TokenSample = {
      key: 'req:req_011B',
      source: 'transcript',
      claudeSessionId: 'cc-1',
      cwd: '/w',
      project: null,
      at: 1763647340000,
      model: 'claude-sonnet-4-5-20250929',
      input: 1,
      output: 385,
      cacheRead: 18231,
      cacheWrite: 2406,
      cacheWrite1h: 2000,
      costUsd: null,
      sidechain: false,
    };
    const total: TokenSample = {
      ...request,
      key: 'otelm:cc-1:claude-sonnet-4-5',
      source: 'otel',
      at: 1763647400000,
      cacheWrite1h: 0,
      summed: true,
    };
    store.metrics.insertSamples([request]);
    store.metrics.replaceSamples([total]);
    // A later line of the same stream with more output keeps the larger figures, split and all.
    store.metrics.insertSamples([{ ...request, output: 512 }]);
    expect(store.metrics.samplesForClaudeSession('cc-1').slice(1)).toEqual([
      { ...request, output: 512 },
      total,
    ]);
  });
});
