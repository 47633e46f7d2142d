import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { Agent, LogLine, Session } from '../../src/shared/protocol.js';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import type { BuildTask } from '../../src/collector/types.js';
import { createPageRoutes } from '../../src/server/pages.js';
import { ArrayReader, makeAgent, makeLogLine, makeSession, span } from '../render/fixtures.js';
import { makeMetrics } from '../render/metrics-fixtures.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A package folder like an installed buildcast: the real public/ files, a built client and shared modules. */
let packageRoot: string;

beforeAll(() => {
  packageRoot = mkdtempSync(path.join(tmpdir(), 'buildcast-pages-'));
  cpSync(path.join(repoRoot, 'public'), path.join(packageRoot, 'public'), { recursive: true });
  mkdirSync(path.join(packageRoot, 'dist', 'src', 'client'), { recursive: true });
  writeFileSync(path.join(packageRoot, 'dist', 'src', 'client', 'main.js'), 'console.log("client");\n');
  writeFileSync(path.join(packageRoot, 'dist', 'src', 'client', 'main.js.map'), '{"version":3}');
  mkdirSync(path.join(packageRoot, 'dist', 'src', 'shared'), { recursive: true });
  writeFileSync(path.join(packageRoot, 'dist', 'src', 'shared', 'format.js'), 'export const shared = 1;\n');
  writeFileSync(path.join(packageRoot, 'dist', 'src', 'shared', 'format.js.map'), '{"version":3}');
  writeFileSync(path.join(packageRoot, 'package.json'), '{"name":"SECRET-PACKAGE-FILE"}');
});

afterAll(() => rmSync(packageRoot, { recursive: true, force: true }));

/** What the pages may be given beyond sessions, keyed by session id. */
interface Sources {
  agents?: Record<string, Agent[]>;
  tasks?: Record<string, BuildTask[]>;
  logs?: Record<string, LogLine[]>;
}

function pages(
  sessions: Session[] = [],
  raws: Record<string, string> = {},
  metrics?: Record<string, SessionMetrics>,
  { agents, tasks, logs }: Sources = {},
) {
  const clock = new FakeClock('2026-11-20T14:00:00Z');
  return createPageRoutes({
    reader: new ArrayReader(sessions, raws),
    clock,
    packageRoot,
    metrics: metrics && ((id) => metrics[id] ?? null),
    agents: agents && ((id) => agents[id] ?? []),
    tasks: tasks && ((id) => tasks[id] ?? null),
    logs: logs && ((id, limit) => (logs[id] ?? []).slice(-limit)),
  });
}

const finished = (id: string, state: 'completed' | 'failed', updatedAt = '2026-11-20T12:00:00Z') =>
  makeSession({ id, project: id, state, updatedAt, endedAt: updatedAt, activity: state });

describe('dashboard shell', () => {
  it('serves the shell with the connection indicator and the containers htmx fills', async () => {
    const res = await pages().request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const body = await res.text();
    expect(body).toContain('id="connection"');
    expect(body).toContain('aria-live="polite"');
    expect(body).toContain('hx-get="/fragments/tabs?tab=active"');
    expect(body).toContain('hx-get="/fragments/sessions?tab=active"');
    // No `load` trigger: the client loads them once its socket has the first snapshot.
    expect(body).toContain('hx-trigger="bc:list from:body"');
    expect(body).toContain('id="notices" class="notices" role="status" aria-live="polite"');
    expect(body).toContain('src="/assets/htmx.min.js"');
    expect(body).toContain('src="/assets/client/main.js"');
    expect(body).not.toMatch(/https?:\/\//);
  });

  it('opens on the tab named in the address, and ignores names that are not tabs', async () => {
    const app = pages();
    const failed = await (await app.request('/?tab=failed')).text();
    expect(failed).toContain('hx-get="/fragments/sessions?tab=failed"');
    expect(failed).toContain('hx-get="/fragments/tabs?tab=failed"');
    const bogus = await (await app.request('/?tab=%22%3E%3Cscript%3E')).text();
    expect(bogus).toContain('hx-get="/fragments/sessions?tab=active"');
    expect(bogus).not.toContain('<script>');
  });

  it('is the frame of the session and not-found pages too: one head, one header', async () => {
    const app = pages([makeSession()]);
    const frame = (page: string) =>
      page
        .slice(0, page.indexOf('<main'))
        .replace(/<title>[^<]*<\/title>/, '')
        .replace(/<body[^>]*>/, '');
    const dashboard = await (await app.request('/')).text();
    const session = await (await app.request(`/sessions/${makeSession().id}`)).text();
    const missing = await (await app.request('/sessions/nope')).text();
    expect(frame(session)).toBe(frame(dashboard));
    expect(frame(missing)).toBe(frame(dashboard));
    expect(frame(dashboard)).toContain('<meta name="color-scheme" content="dark light" />');
    expect(session).toContain('<title>weather-app · buildcast</title>');
    expect(dashboard).toContain('<title>buildcast</title>');
  });

  it('refuses to start from a shell that lacks a slot or cannot be read, naming the file and the slot', () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'buildcast-shell-'));
    try {
      mkdirSync(path.join(broken, 'public'));
      const create = () =>
        createPageRoutes({ reader: new ArrayReader(), clock: new FakeClock(), packageRoot: broken });
      expect(create).toThrow(/cannot read the page shell .*dashboard\.html/);
      const shell = readFileSync(path.join(repoRoot, 'public', 'dashboard.html'), 'utf8');
      writeFileSync(path.join(broken, 'public', 'dashboard.html'), shell.replace('{{list-path}}', '/x'));
      expect(create).toThrow(/dashboard\.html has no \{\{list-path\}\} slot/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('tabs fragment', () => {
  it('shows a count per tab and marks the selected one', async () => {
    const app = pages([
      makeSession({ id: 'a' }),
      makeSession({ id: 'b', state: 'stalled' }),
      finished('c', 'completed'),
      finished('d', 'failed'),
    ]);
    const body = await (await app.request('/fragments/tabs?tab=completed')).text();
    expect(body).toContain('id="tabs"');
    const tab = (name: string) =>
      new RegExp(`id="tab-${name}"[^>]*aria-selected="(true|false)"[\\s\\S]*?data-count="(\\d+)"`);
    expect(body.match(tab('active'))?.slice(1)).toEqual(['false', '2']);
    expect(body.match(tab('completed'))?.slice(1)).toEqual(['true', '1']);
    expect(body.match(tab('failed'))?.slice(1)).toEqual(['false', '1']);
    expect(body.match(tab('all'))?.slice(1)).toEqual(['false', '4']);
    expect(body).toContain('hx-push-url="/?tab=failed"');
    expect(body).not.toContain('hx-trigger="load');
  });
});

describe('session list fragment', () => {
  it('lists the cards of a tab and only those', async () => {
    const app = pages([
      makeSession({ id: 'run-1', project: 'weather-app' }),
      finished('done-1', 'completed'),
    ]);
    const active = await (await app.request('/fragments/sessions?tab=active')).text();
    expect(active).toContain('id="session-list"');
    expect(active).toContain('data-tab="active"');
    expect(active).toContain('id="card-run-1"');
    expect(active).not.toContain('id="card-done-1"');
    const all = await (await app.request('/fragments/sessions?tab=all')).text();
    expect(all).toContain('id="card-run-1"');
    expect(all).toContain('id="card-done-1"');
  });

  it('shows an honest empty state on every tab', async () => {
    const app = pages();
    const text = async (tab: string) => (await app.request(`/fragments/sessions?tab=${tab}`)).text();
    expect(await text('active')).toContain('No builds running.');
    // `buildcast` is not on a clone's PATH: the hint names what works there, and in an install.
    expect(await text('active')).toContain('<code>npm run demo</code>');
    expect(await text('active')).toContain('<code>npx buildcast demo</code>');
    expect(await text('completed')).toContain('No completed builds yet.');
    expect(await text('failed')).toContain('No failed builds.');
    expect(await text('all')).toContain('No builds yet.');
  });

  it('pages with a "Show more" button that swaps itself for the next cards', async () => {
    const sessions = Array.from({ length: 60 }, (_, i) =>
      makeSession({
        id: `s-${i}`,
        updatedAt: new Date(Date.parse('2026-11-20T13:00:00Z') + i * 1000).toISOString(),
      }),
    );
    const app = pages(sessions);
    const first = await (await app.request('/fragments/sessions?tab=active')).text();
    expect(first.match(/<article/g)).toHaveLength(50);
    expect(first).toContain('id="card-s-59"');
    const more = first.match(/id="show-more"[\s\S]*?hx-get="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&');
    expect(more).toBe('/fragments/sessions?tab=active&cursor=50');
    expect(first).toContain('hx-swap="outerHTML"');
    const second = await (await app.request(more ?? '')).text();
    expect(second.match(/<article/g)).toHaveLength(10);
    expect(second).toContain('id="card-s-0"');
    expect(second).not.toContain('id="session-list"');
    expect(second).not.toContain('show-more');
  });

  it('carries the tab bar out of band when a tab is clicked', async () => {
    const body = await (
      await pages([finished('x', 'failed')]).request('/fragments/sessions?tab=failed&tabs=1')
    ).text();
    expect(body).toContain('id="session-list"');
    expect(body).toMatch(/<nav[^>]*id="tabs"[^>]*hx-swap-oob="true"/);
    expect(body).toMatch(/id="tab-failed"[^>]*aria-selected="true"/);
  });
});

describe('untrusted build text', () => {
  const hostile = makeSession({
    id: 'evil-20261120T140211Z',
    project: '<script>alert(1)</script>',
    progressDetail: '"><img src=x onerror=alert(1)>',
    currentPhase: '<iframe src=javascript:alert(2)>',
    activity: '<svg onload=alert(3)>',
    phaseNumber: '<b>4</b>/7',
    workdir: '/home/<u>x</u>',
    phasesCompleted: ['<marquee>Scout</marquee>'],
    phases: [span('<object data=x>', '<i>1</i>', 1, '2026-11-20T13:40:00Z', '2026-11-20T13:44:12Z')],
    warnings: [
      { file: '<embed src=x>', reason: '<a href=javascript:alert(4)>click</a>', at: '2026-11-20T13:59:00Z' },
    ],
  });
  const hostileId = makeSession({ id: 'x"><script>alert(6)</script>', project: 'odd-id' });
  const raws = { [hostile.id]: '</pre><script>alert(5)</script>' };
  // Metrics carry build text too: phase names, model names, failing test names.
  const metrics = makeMetrics({ sessionId: hostile.id });
  metrics.tokens.byPhase[0]!.phase = '<object data=x>';
  metrics.tokens.byModel[0]!.model = '<svg onload=alert(7)>';
  metrics.context.model = '<iframe src=javascript:alert(8)>';
  metrics.tests.stuck = ['<marquee>parses</marquee>'];
  const allMetrics = { [hostile.id]: metrics, [hostileId.id]: makeMetrics({ sessionId: hostileId.id }) };
  // Agents, builder tasks and log lines are build text too.
  const sources: Sources = {
    agents: {
      [hostile.id]: [
        makeAgent({
          id: '<b>agent</b>',
          sessionId: hostile.id,
          name: '<script>alert(9)</script>',
          type: '<i>builder</i>',
          phase: '<u>Builder</u>',
          error: '<a href=javascript:alert(10)>x</a>',
          reportedStatus: '<marquee>busy</marquee>',
          stalled: true,
        }),
      ],
    },
    tasks: {
      [hostile.id]: [
        {
          id: '<object data=x>',
          name: '<iframe src=javascript:alert(11)>',
          status: 'failed',
          dependsOn: ['<embed src=x>'],
          files: [],
          agent: '<svg onload=alert(12)>',
          error: '</pre><script>alert(13)</script>',
        },
      ],
    },
    logs: {
      [hostile.id]: [makeLogLine(1, '\x1b[31m<script>alert(14)</script>\x00', { source: '<img src=x>' })],
    },
  };
  const markup = [
    '<script>alert',
    '<img src=x',
    '<iframe',
    // The pages draw their own SVG charts; what must never appear is one from the build.
    '<svg onload',
    '<b>',
    '<u>',
    '<marquee',
    '<object',
    '<i>',
  ];
  const more = ['<embed', '<a href=javascript', '</pre><script'];

  it('is escaped in every page and fragment', async () => {
    const app = pages([hostile, hostileId], raws, allMetrics, sources);
    const urls = [
      '/',
      '/fragments/tabs?tab=all',
      ...['active', 'completed', 'failed', 'all'].map((tab) => `/fragments/sessions?tab=${tab}&tabs=1`),
      `/fragments/cards/${hostile.id}`,
      `/fragments/cards/${encodeURIComponent(hostileId.id)}`,
      `/sessions/${hostile.id}`,
      `/sessions/${encodeURIComponent(hostileId.id)}`,
      `/fragments/sessions/${hostile.id}/detail`,
      `/fragments/sessions/${hostile.id}/metrics`,
      `/fragments/sessions/${encodeURIComponent(hostileId.id)}/metrics`,
      `/fragments/sessions/${hostile.id}/agents`,
      `/fragments/sessions/${encodeURIComponent(hostileId.id)}/agents`,
      `/fragments/sessions/${hostile.id}/logs`,
      `/fragments/sessions/${encodeURIComponent(hostileId.id)}/logs`,
      `/sessions/${encodeURIComponent('<script>alert(7)</script>')}`,
    ];
    for (const url of urls) {
      const body = await (await app.request(url)).text();
      for (const tag of [...markup, ...more]) expect(body, `${url} contains ${tag}`).not.toContain(tag);
      const scripts = body.match(/<script/g)?.length ?? 0;
      expect(scripts, url).toBe(body.includes('<!doctype html>') ? 2 : 0);
    }
  });

  it('still reads as the text the build wrote', async () => {
    const app = pages([hostile, hostileId], raws);
    const cardHtml = await (await app.request(`/fragments/cards/${hostile.id}`)).text();
    expect(cardHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(cardHtml).toContain('title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    const page = await (await app.request(`/sessions/${hostile.id}`)).text();
    expect(page).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; · buildcast</title>');
    expect(page).toContain('&lt;/pre&gt;&lt;script&gt;alert(5)&lt;/script&gt;');
    expect(page).toContain('&lt;a href=javascript:alert(4)&gt;click&lt;/a&gt;');
    const odd = await (await app.request('/fragments/sessions?tab=active')).text();
    expect(odd).toContain('id="card-x&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;"');
    expect(odd).toContain('hx-get="/fragments/cards/x%22%3E%3Cscript%3Ealert(6)%3C%2Fscript%3E"');
  });
});

describe('agents and log fragments', () => {
  const session = makeSession();
  const id = session.id;

  it('serves the agents panel alone, and an honest empty one without an agent source', async () => {
    const app = pages([session], {}, undefined, {
      agents: { [id]: [makeAgent(), makeAgent({ id: 'tester', name: 'Tester', status: 'idle' })] },
    });
    const res = await app.request(`/fragments/sessions/${id}/agents`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self'");
    const body = await res.text();
    expect(body.trim()).toMatch(/^<section\s+id="agents"/);
    expect(body.match(/<li\s+class="agent /g)).toHaveLength(2);
    const bare = await (await pages([session]).request(`/fragments/sessions/${id}/agents`)).text();
    expect(bare).toContain('No agents reported for this build.');
  });

  it('serves the last 200 log lines as the list the client swaps after a reconnect', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => makeLogLine(i + 1, `line ${i + 1}`));
    const app = pages([session], {}, undefined, { logs: { [id]: lines } });
    const res = await app.request(`/fragments/sessions/${id}/logs`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.trim()).toMatch(/^<ol\s+id="log-lines"/);
    expect(body).toContain('data-last-seq="300"');
    expect(body.match(/<li\s+class="log-line/g)).toHaveLength(200);
    expect(body).not.toContain('data-seq="100"');
    expect(body).not.toContain('id="log-tail"');
    const bare = await (await pages([session]).request(`/fragments/sessions/${id}/logs`)).text();
    expect(bare).toContain('No log lines yet.');
  });

  it('puts no inline style or script in any of the new markup', async () => {
    const app = pages([session], {}, undefined, {
      agents: { [id]: [makeAgent({ progressPercent: 33 })] },
      logs: { [id]: [makeLogLine(1, '\x1b[1;31mred\x1b[0m')] },
      tasks: {
        [id]: [
          { id: 't1', name: 'API', status: 'running', dependsOn: [], files: [], agent: null, error: null },
        ],
      },
    });
    const page = await (await app.request(`/sessions/${id}`)).text();
    expect(page).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    expect(page.match(/<script/g)).toHaveLength(2);
  });
});

describe('a project name in a session address', () => {
  const run = (id: string, startedAt: string, state: Session['state']) =>
    makeSession({ id, project: 'weather-app', startedAt, updatedAt: startedAt, state });
  const older = run('weather-app-20261120T120000Z', '2026-11-20T12:00:00Z', 'failed');
  const latest = run('weather-app-20261120T140211Z', '2026-11-20T14:02:11Z', 'running');

  it('opens the latest run of the project, as the API does', async () => {
    const app = pages([latest, older]);
    const res = await app.request('/sessions/weather-app');
    expect(res.status).toBe(200);
    const body = await res.text();
    // The page follows that run: its socket, fragments and title are the run's own.
    expect(body).toContain(`data-session-id="${latest.id}"`);
    expect(body).toContain(`hx-get="/fragments/sessions/${latest.id}/detail"`);
    expect(body).not.toContain(older.id);
    // A run's own id still opens that run, even when it is not the latest.
    const exact = await (await app.request(`/sessions/${older.id}`)).text();
    expect(exact).toContain(`data-session-id="${older.id}"`);
  });

  it('is still not found when neither a run nor a project has that name', async () => {
    const res = await pages([latest]).request('/sessions/todo-api');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no session or project called “todo-api”');
  });
});

describe('not found', () => {
  it('answers 404 for an unknown session page, card or detail', async () => {
    const app = pages([makeSession()]);
    const page = await app.request('/sessions/nope');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Not found');
    const card = await app.request('/fragments/cards/nope');
    expect(card.status).toBe(404);
    expect(await card.text()).toBe('');
    expect((await app.request('/fragments/sessions/nope/detail')).status).toBe(404);
    expect((await app.request('/fragments/sessions/nope/metrics')).status).toBe(404);
    expect((await app.request('/fragments/sessions/nope/agents')).status).toBe(404);
    expect((await app.request('/fragments/sessions/nope/logs')).status).toBe(404);
  });

  it('answers 404 for the metrics of an unknown session even when a metrics source has some', async () => {
    const app = pages([makeSession()], {}, { nope: makeMetrics({ sessionId: 'nope' }) });
    const res = await app.request('/fragments/sessions/nope/metrics');
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });
});

describe('over the wire', () => {
  const gunzip = async (res: Response) => gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
  const unbrotli = async (res: Response) =>
    brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
  const htmxFile = () => readFileSync(path.join(repoRoot, 'node_modules/htmx.org/dist/htmx.min.js'), 'utf8');

  it('sends assets with brotli or gzip as the browser accepts, and as they are to one that accepts neither', async () => {
    const app = pages();
    const br = await app.request('/assets/htmx.min.js', {
      headers: { 'Accept-Encoding': 'gzip, deflate, br' },
    });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const brBody = Buffer.from(await br.clone().arrayBuffer());
    expect(brBody.byteLength).toBeLessThan(htmxFile().length / 3);
    expect(await unbrotli(br)).toBe(htmxFile());
    const gz = await app.request('/assets/styles.css', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await gunzip(gz)).toBe(readFileSync(path.join(repoRoot, 'public/styles.css'), 'utf8'));
    const refused = await app.request('/assets/htmx.min.js', {
      headers: { 'Accept-Encoding': 'br;q=0, gzip;q=0' },
    });
    expect(refused.headers.get('content-encoding')).toBeNull();
    expect(await refused.text()).toBe(htmxFile());
  });

  it('tags each asset, and answers a browser whose copy is current with an empty 304', async () => {
    const app = pages();
    const headers = { 'Accept-Encoding': 'br' };
    const first = await app.request('/assets/htmx.min.js', { headers });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await app.request('/assets/htmx.min.js', {
      headers: { ...headers, 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // Each coding is its own representation, with its own tag.
    const plain = await app.request('/assets/htmx.min.js', { headers: { 'If-None-Match': etag ?? '' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('etag')).not.toBe(etag);
    // A tag from an older copy of the file gets the file.
    const stale = await app.request('/assets/htmx.min.js', {
      headers: { ...headers, 'If-None-Match': '"old"' },
    });
    expect(stale.status).toBe(200);
    const client = await app.request('/assets/client/main.js');
    const revalidated = await app.request('/assets/client/main.js', {
      headers: { 'If-None-Match': client.headers.get('etag') ?? '' },
    });
    expect(revalidated.status).toBe(304);
  });

  it('compresses pages and fragments too, drawn afresh for each request', async () => {
    const app = pages(Array.from({ length: 8 }, (_, i) => makeSession({ id: `run-${i}`, project: `p${i}` })));
    const res = await app.request('/fragments/sessions?tab=all', {
      headers: { 'Accept-Encoding': 'gzip, br' },
    });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await unbrotli(res)).toContain('id="card-run-7"');
    const page = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(page.headers.get('content-encoding')).toBe('gzip');
    expect(await gunzip(page)).toContain('<!doctype html>');
  });

  it('serves the favicon with a red dot for a page on which a build failed', async () => {
    const app = pages();
    const plain = await (await app.request('/favicon.svg')).text();
    const alert = await app.request('/favicon.svg?alert=failed');
    expect(alert.status).toBe(200);
    expect(alert.headers.get('content-type')).toBe('image/svg+xml');
    const marked = await alert.text();
    expect(plain).not.toContain('data-alert');
    expect(marked).toContain('data-alert="failed"');
    expect(marked.replace(/\s*<circle[^>]*data-alert="failed"\/>/, '')).toBe(plain);
    expect(alert.headers.get('etag')).not.toBe((await app.request('/favicon.svg')).headers.get('etag'));
  });
});

describe('assets', () => {
  it('serves htmx from node_modules, the styles, the favicon and the client with the right types', async () => {
    const app = pages();
    const htmx = await app.request('/assets/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const htmxFile = readFileSync(path.join(repoRoot, 'node_modules/htmx.org/dist/htmx.min.js'), 'utf8');
    expect(await htmx.text()).toBe(htmxFile);
    const css = await app.request('/assets/styles.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.fresh-green');
    const icon = await app.request('/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    const client = await app.request('/assets/client/main.js');
    expect(client.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await client.text()).toContain('client');
    const map = await app.request('/assets/client/main.js.map');
    expect(map.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(client.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the modules the client shares with the server where its relative imports point', async () => {
    const app = pages();
    // The browser resolves `import … from '../shared/format.js'` in /assets/client/main.js so:
    const url = new URL('../shared/format.js', 'http://localhost/assets/client/main.js').pathname;
    expect(url).toBe('/assets/shared/format.js');
    const shared = await app.request(url);
    expect(shared.status).toBe(200);
    expect(shared.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(shared.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await shared.text()).toBe('export const shared = 1;\n');
    const map = await app.request('/assets/shared/format.js.map');
    expect(map.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await app.request('/assets/shared/missing.js')).status).toBe(404);
  });

  it('serves a client file built after the first request for it', async () => {
    const app = pages();
    expect((await app.request('/assets/client/late.js')).status).toBe(404);
    const file = path.join(packageRoot, 'dist', 'src', 'client', 'late.js');
    writeFileSync(file, 'export {};\n');
    try {
      expect((await app.request('/assets/client/late.js')).status).toBe(200);
    } finally {
      rmSync(file);
    }
  });

  it('refuses paths that leave the asset folders', async () => {
    const app = pages();
    const attempts = [
      '/assets/client/..%2F..%2F..%2Fpackage.json',
      '/assets/client/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/client/../../../package.json',
      '/assets/client/..%5C..%5Cpackage.json',
      '/assets/client/Main.JS',
      '/assets/client/main.ts',
      '/assets/..%2Fpackage.json',
      '/assets/client/%2Fetc%2Fpasswd.js',
      '/assets/shared/..%2F..%2F..%2Fpackage.json',
      '/assets/shared/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/shared/../../../package.json',
      '/assets/shared/..%5Cclient%5Cmain.js',
      '/assets/shared/Format.JS',
      '/assets/shared/format.ts',
      '/assets/shared/%2Fetc%2Fpasswd.js',
      '/assets/shared/',
    ];
    for (const url of attempts) {
      const res = await app.request(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('SECRET-PACKAGE-FILE');
    }
  });
});
