import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';

let dir: string;
let file: string;
let opened: Store[];

function open(): Store {
  const store = openStore(file);
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buildcast-state-'));
  file = path.join(dir, 'buildcast.db');
  opened = [];
});

afterEach(() => {
  for (const store of opened) store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('stored state families', () => {
  it('keep typed values per key across a reopen, each family apart from the others', () => {
    const store = open();
    expect(store.state.lineOffsets.get('/w/events.jsonl')).toBeNull();
    store.state.lineOffsets.set('/w/events.jsonl', { offset: 10, ino: 3 });
    store.state.lineOffsets.set('/w/events.jsonl', { offset: 20, ino: 3 });
    store.state.transcriptOffsets.set('/w/events.jsonl', { offset: 5, size: 9, ino: 4 });
    store.state.claudeLinks.set('c-1', 'weather-app-20261120T140211Z');
    store.state.externalSessions.set('claude-20261120T140211Z', { claudeId: 'c-2', workdir: null });
    store.state.claudeWithEvents.set('c-3', true);
    store.state.buildTasks.set('weather-app-20261120T140211Z', [
      { id: 't1', name: 'API', status: 'completed', dependsOn: [], files: [], agent: null, error: null },
    ]);
    store.close();

    const reopened = open();
    expect(reopened.state.lineOffsets.get('/w/events.jsonl')).toEqual({ offset: 20, ino: 3 });
    expect(reopened.state.transcriptOffsets.get('/w/events.jsonl')).toEqual({ offset: 5, size: 9, ino: 4 });
    expect(reopened.state.lineOffsets.all()).toEqual(new Map([['/w/events.jsonl', { offset: 20, ino: 3 }]]));
    expect(reopened.state.claudeLinks.all()).toEqual(new Map([['c-1', 'weather-app-20261120T140211Z']]));
    expect(reopened.state.externalSessions.get('claude-20261120T140211Z')).toEqual({
      claudeId: 'c-2',
      workdir: null,
    });
    expect([...reopened.state.claudeWithEvents.all().keys()]).toEqual(['c-3']);
    expect(reopened.state.buildTasks.get('weather-app-20261120T140211Z')).toHaveLength(1);
  });

  it('read values written by earlier versions, and skip damaged ones without losing the rest', () => {
    open().close();
    const db = new Database(file);
    const put = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
    put.run('claude:c-1', 'build-20261120T140211Z'); // links were always stored as plain text
    put.run('otel-events:c-2', '1');
    put.run('lines:/a.log', '{"offset":12,"ino":5}');
    put.run('lines:/b.log', '{"offset":'); // cut short by a crash
    put.run('lines:/c.log', '{"offset":-4,"ino":5}'); // not a byte offset
    db.close();

    const store = open();
    expect(store.state.claudeLinks.get('c-1')).toBe('build-20261120T140211Z');
    expect(store.state.claudeWithEvents.get('c-2')).toBe(true);
    expect(store.state.lineOffsets.get('/b.log')).toBeNull();
    expect(store.state.lineOffsets.all()).toEqual(new Map([['/a.log', { offset: 12, ino: 5 }]]));
  });
});
