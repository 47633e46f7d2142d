/**
 * A build's event log reaches its own run, whatever order the watcher reads a folder's files in
 * (issue 10: a failed build's log stayed empty although its `events.jsonl` had 183 lines). Real
 * server, real folder, files written the way builds write them: the log before the phase file in
 * one debounce window, and a second run in the same folder that starts its log over.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine, Session } from '../../src/shared/protocol.js';
import type { ServerHandle } from '../../src/server/main.js';
import {
  eventually,
  phase,
  removeDir,
  sleep,
  startTestServer,
  tempDir,
  writePhaseFile,
} from '../helpers/server.js';

/** Long enough that writes made one after the other fall in one window, on a busy machine too. */
const DEBOUNCE_MS = 150;

/** `events.jsonl` lines as Context Foundry writes them, numbered from `from`. */
function eventLines(run: string, from: number, count: number, at: string): string {
  let text = '';
  for (let sequence = from; sequence < from + count; sequence++) {
    const data = { message: `${run}: step ${sequence}` };
    text += `${JSON.stringify({ type: 'log_line', session_id: 'weather-app', timestamp: at, sequence, data })}\n`;
  }
  return text;
}

describe('the event log and the run it belongs to', () => {
  let server: ServerHandle | null = null;
  let root: string;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  async function setup(): Promise<{ workdir: string; log: string }> {
    root = tempDir();
    const workdir = path.join(root, 'weather-app');
    const folder = path.join(workdir, 'logs', 'events', 'weather-app');
    mkdirSync(folder, { recursive: true });
    server = await startTestServer({ roots: [root], debounceMs: DEBOUNCE_MS });
    return { workdir, log: path.join(folder, 'events.jsonl') };
  }

  const logsOf = async (id: string): Promise<string[]> => {
    const answer = await fetch(`${server!.url}/api/sessions/${id}/logs?limit=1000`);
    return ((await answer.json()) as { lines: LogLine[] }).lines.map((line) => line.text);
  };
  /** Waits for the watcher to have read everything written so far. */
  async function settled(): Promise<void> {
    await sleep(DEBOUNCE_MS * 2);
    await server!.collector.flushPending();
  }
  const steps = (run: string, from: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) => `${run}: step ${from + i}`);

  it('shows a log written just before the run’s first phase file, in the API and on its page', async () => {
    const { workdir, log } = await setup();
    writeFileSync(log, eventLines('first', 1, 183, '2026-11-20T14:00:01Z'));
    writePhaseFile(
      workdir,
      phase({ started_at: '2026-11-20T14:00:00Z', last_updated: '2026-11-20T14:00:01Z' }),
    );
    const id = await eventually(() => server!.registry.latestOfProject('weather-app')?.id);
    await settled();
    expect(await logsOf(id)).toEqual(steps('first', 1, 183));
    const page = await (await fetch(`${server!.url}/sessions/${id}`)).text();
    expect(page).toContain('first: step 183');
  });

  async function firstRun(workdir: string, log: string): Promise<Session> {
    writeFileSync(log, eventLines('first', 1, 5, '2026-11-20T14:00:01Z'));
    writePhaseFile(
      workdir,
      phase({ started_at: '2026-11-20T14:00:00Z', last_updated: '2026-11-20T14:00:01Z' }),
    );
    const id = await eventually(() => server!.registry.latestOfProject('weather-app')?.id);
    await settled();
    writePhaseFile(
      workdir,
      phase({
        started_at: '2026-11-20T14:00:00Z',
        current_phase: 'Feedback',
        phase_number: '7/8',
        status: 'completed',
        last_updated: '2026-11-20T14:30:00Z',
      }),
    );
    await eventually(() => server!.registry.get(id)?.state === 'completed');
    await settled();
    expect(await logsOf(id)).toEqual(steps('first', 1, 5));
    return server!.registry.get(id)!;
  }

  const secondPhaseFile = (workdir: string) =>
    writePhaseFile(
      workdir,
      phase({ started_at: '2026-11-20T15:00:00Z', last_updated: '2026-11-20T15:00:01Z' }),
    );
  const secondRun = (first: Session) =>
    eventually(() => {
      const latest = server!.registry.latestOfProject('weather-app');
      return latest !== undefined && latest.id !== first.id && latest;
    });

  it('gives a second run in the same folder its own log when the build starts the log over', async () => {
    const { workdir, log } = await setup();
    const first = await firstRun(workdir, log);
    // The build clears the old log and starts a new one (often given the old file's inode),
    // then writes its first phase file, all in one window.
    rmSync(log);
    writeFileSync(log, eventLines('second', 1, 7, '2026-11-20T15:00:01Z'));
    secondPhaseFile(workdir);
    const second = await secondRun(first);
    await settled();
    expect(await logsOf(second.id)).toEqual(steps('second', 1, 7));
    expect(await logsOf(first.id)).toEqual(steps('first', 1, 5));
  });

  it('gives a second run the lines it appends to the same log in the window of its first phase file', async () => {
    const { workdir, log } = await setup();
    const first = await firstRun(workdir, log);
    appendFileSync(log, eventLines('second', 6, 4, '2026-11-20T15:00:01Z'));
    secondPhaseFile(workdir);
    const second = await secondRun(first);
    await settled();
    expect(await logsOf(second.id)).toEqual(steps('second', 6, 4));
    expect(await logsOf(first.id)).toEqual(steps('first', 1, 5));
  });

  it('keeps a new log written before the second run’s phase file until that run appears', async () => {
    const { workdir, log } = await setup();
    const first = await firstRun(workdir, log);
    rmSync(log);
    writeFileSync(log, eventLines('second', 1, 3, '2026-11-20T15:00:01Z'));
    // Read on its own, well before the run's first phase file.
    await settled();
    expect(await logsOf(first.id)).toEqual(steps('first', 1, 5));
    secondPhaseFile(workdir);
    const second = await secondRun(first);
    await settled();
    expect(await logsOf(second.id)).toEqual(steps('second', 1, 3));
  });
});
