/**
 * The history pages over a real server, and what changes the history: an empty history, bad
 * filters, bad and unknown ids on the comparison page, runs without phases and runs still going,
 * deleting a run behind the token, and retention pruning old runs at start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { removeDir, startTestServer, tempDir } from '../helpers/server.js';
import { buildHistory, openHistory, QUIET, RUN_A, RUN_B, RUN_C, runId } from '../helpers/history.js';

const A = runId(RUN_A);
const B = runId(RUN_B);
const C = runId(RUN_C);

/** The text of a page without its markup, whitespace folded. */
const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

describe('history pages', () => {
  let root = '';
  let server: ServerHandle | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
    removeDir(root);
  });

  const page = async (path: string) => {
    const response = await fetch(`${server!.url}${path}`, { redirect: 'manual' });
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: await response.text(),
    };
  };

  it('says so when nothing is stored, and when a filter cannot be read', async () => {
    root = tempDir();
    server = await startTestServer({ ...QUIET });
    const empty = await page('/history');
    expect(empty.status).toBe(200);
    expect(text(empty.body)).toContain('No runs stored yet.');
    const bad = await page('/history?sort=colour&from=soon');
    expect(bad.status).toBe(400);
    expect(text(bad.body)).toContain(
      'This view cannot be shown: sort must be one of started, duration, tokens, cost, iterations, not "colour".',
    );
    const compare = await page('/compare');
    expect(compare.status).toBe(400);
    expect(text(compare.body)).toContain(
      'These runs cannot be compared: ids must name 2 to 10 runs, the baseline first; got none.',
    );
  });

  it('lists the runs with totals, compares them, and explains bad or unknown ids', async () => {
    root = tempDir();
    const history = await buildHistory(root);
    ({ server } = await openHistory(history, '2026-11-20T10:00:00Z'));
    const list = await page('/history?sort=duration&order=asc');
    expect(list.status).toBe(200);
    const rows = [...list.body.matchAll(/name="ids"\s+value="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual([B, A, C]);
    expect(text(list.body)).toContain('Runs 3 Duration 5h 43m Tokens 326k Cost $0.98');
    expect(list.body).toContain('Tokens and cost by day and project');
    expect(list.body).toContain('data-period="2026-11-12"');
    expect(list.body).toContain('data-project="weather-app"');
    expect(list.body).toContain('<option value="ci-runner-7"></option>');
    const onHost = await page('/history?host=ci-runner-7');
    expect([...onHost.body.matchAll(/name="ids"\s+value="([^"]+)"/g)].map((m) => m[1])).toEqual([C]);
    expect(text(await (await fetch(`${server.url}/history?q=nothing-like-this`)).text())).toContain(
      'No runs match these filters.',
    );

    // A form without its script sends one `ids` per box: the address becomes the shareable one.
    const redirect = await page(`/compare?ids=${A}&ids=${B}&diff=1`);
    expect(redirect).toMatchObject({ status: 303, location: `/compare?ids=${A},${B}&diff=1` });
    const compare = await page(`/compare?ids=${A},${B}&diff=1`);
    expect(compare.status).toBe(200);
    expect(text(compare.body)).toContain(
      'B finished 31 % sooner and cost 22 % less; it needed one test-fix loop fewer.',
    );
    expect(compare.body).toMatch(/id="diff-only"[^>]*checked/);
    expect(compare.body).toContain('id="compare-durations-title"');
    expect(compare.body).toContain('id="compare-tokens-title"');
    expect(compare.body).toContain('id="compare-cost-title"');
    // Test iterations are the same in every phase but Test: those rows are marked for "differences only".
    expect(compare.body.match(/<tr class="figure-row same" data-figure="testIterations"/g)).toHaveLength(5);

    const three = await page(`/compare?ids=${A},${B},${C}`);
    expect(text(three.body)).toContain('Median (range) of 3 runs');
    expect(text(three.body)).toContain('Screenshot not in A and B');

    const unknown = await page(`/compare?ids=${A},no-such-run`);
    expect(unknown.status).toBe(404);
    expect(text(unknown.body)).toContain('These runs cannot be compared: no session "no-such-run".');
    const twice = await page(`/compare?ids=${A},${A}`);
    expect(twice.status).toBe(400);
    expect(text(twice.body)).toContain(`ids names run ${A} twice`);
  });

  it('compares a run without phases and a run still going, with warnings instead of a broken page', async () => {
    root = tempDir();
    server = await startTestServer({ ...QUIET });
    const push = (body: object) =>
      fetch(`${server!.url}/api/phase-update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await push({ session_id: 'bare-app', started_at: '2026-11-20T09:00:00Z', status: 'in_progress' });
    await push({
      session_id: 'todo-api',
      started_at: '2026-11-20T09:30:00Z',
      current_phase: 'Scout',
      status: 'researching',
    });
    const ids = 'bare-app-20261120T090000Z,todo-api-20261120T093000Z';
    const compare = await page(`/compare?ids=${ids}`);
    expect(compare.status).toBe(200);
    const shown = text(compare.body);
    expect(shown).toContain('Not comparable: these runs are of different projects (bare-app and todo-api).');
    expect(shown).toContain('A is still running: its figures are not final.');
    expect(shown).toContain('A has no phase timeline: only its totals are compared.');
    expect(shown).toContain('B has no token counts: its tokens and cost are unknown.');
    // Both still going, neither with a test iteration: nothing to weigh yet, and it says so.
    expect(shown).toContain('B is still running.');
    expect(shown).toContain('No phase has a duration yet.');
  });

  it('deletes a run behind the token, after asking, and it stays gone after a restart', async () => {
    root = tempDir();
    const history = await buildHistory(root);
    ({ server } = await openHistory(history, '2026-11-20T10:00:00Z', { token: 'sesame' }));
    const withToken = { headers: { authorization: 'Bearer sesame' } };
    const ask = await fetch(`${server.url}/sessions/${B}/delete`, withToken);
    const asked = text(await ask.text());
    expect(asked).toContain('Delete this run?');
    expect(asked).toContain('Token (this server needs it for any change)');

    const agent = await fetch(`${server.url}/api/agent-update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sesame' },
      body: JSON.stringify({ session_id: B, agent_id: 'tester', status: 'active' }),
    });
    expect(agent.status).toBe(200);
    expect(server.agents.agents(B)).toHaveLength(1);
    const refused = await fetch(`${server.url}/api/sessions/${B}`, { method: 'DELETE' });
    expect(refused.status).toBe(401);
    const deleted = await fetch(`${server.url}/api/sessions/${B}`, { method: 'DELETE', ...withToken });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ status: 'deleted', id: B, project: 'weather-app' });
    // Its agents go with it, so no later stall check can write them back.
    expect(server.agents.agents(B)).toEqual([]);
    const again = await fetch(`${server.url}/api/sessions/${B}`, { method: 'DELETE', ...withToken });
    expect(again.status).toBe(404);
    expect((await fetch(`${server.url}/api/sessions/${B}`, withToken)).status).toBe(404);
    const listed = (await (await fetch(`${server.url}/api/sessions`, withToken)).json()) as { total: number };
    expect(listed.total).toBe(2);

    await server.close();
    ({ server } = await openHistory(history, '2026-11-20T10:00:00Z', { token: 'sesame' }));
    const restarted = (await (await fetch(`${server.url}/api/sessions`, withToken)).json()) as {
      sessions: { id: string }[];
    };
    expect(restarted.sessions.map((s) => s.id).sort()).toEqual([A, C]);
  });

  it('refuses to delete a build that is still running', async () => {
    root = tempDir();
    server = await startTestServer({ ...QUIET });
    await fetch(`${server.url}/api/phase-update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        session_id: 'todo-api',
        started_at: '2026-11-20T09:30:00Z',
        current_phase: 'Scout',
        status: 'researching',
      }),
    });
    const id = 'todo-api-20261120T093000Z';
    const response = await fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE' });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: 'still_running',
        message: `${id} is still running: delete it once it has ended or stalled`,
      },
    });
    expect(text(await (await fetch(`${server.url}/sessions/${id}/delete`)).text())).toContain(
      'This run is still running. It can be deleted once it has ended or stalled.',
    );
  });

  it('prunes finished runs older than --retain-days at start', async () => {
    root = tempDir();
    const history = await buildHistory(root);
    // A ended on 11-10, B on 11-12, C on 11-14: seven days before 11-20 12:00 keeps C alone.
    ({ server } = await openHistory(history, '2026-11-20T12:00:00Z', { retainDays: 7, claudeDirs: [] }));
    const listed = (await (await fetch(`${server.url}/api/sessions`)).json()) as {
      sessions: { id: string }[];
    };
    expect(listed.sessions.map((s) => s.id)).toEqual([C]);
  });
});
