/**
 * A newcomer's first minutes with the dashboard, in real Chromium against a real server fed by
 * HTTP pushes: the cards use the width and show what matters in full, a phone gets a page that
 * fits, the tabs answer the arrow keys, a failure is announced in the title, the favicon and a
 * notice, finished builds read "Finished … ago" in a neutral colour, times are the viewer's own,
 * and a dashboard load fetches each fragment once. (`npm test` builds the client first.)
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser } from '../helpers/browser.js';
import { phase, startTestServer } from '../helpers/server.js';

// The callbacks given to page.evaluate run in the page; these are the browser globals they use.
declare const document: {
  title: string;
  activeElement: { id: string } | null;
  documentElement: { scrollWidth: number };
  querySelector(selector: string): BrowserElement | null;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
};
declare function getComputedStyle(el: BrowserElement): {
  color: string;
  textOverflow: string;
  overflowX: string;
};
interface BrowserElement {
  id: string;
  className: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number; left: number; right: number; width: number };
}

const FAILURE =
  'Deploy failed: health check GET /health returned 503 five times (DATABASE_URL is not set on Fly.io; set it with fly secrets set DATABASE_URL=…)';
const ALL_PHASES = ['Scout', 'Architect', 'Builder', 'Test', 'Screenshot', 'Documentation'];

describe('the first minutes, in Chromium', () => {
  let browser: Browser;
  let server: ServerHandle;
  let context: BrowserContext | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await server?.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function push(body: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${server.url}/api/phase-update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }

  /** The todo API's run failing at Deploy, saying why. */
  const failTodo = (reason: string) =>
    push(
      phase({
        session_id: 'todo-api',
        current_phase: 'Deploy',
        phase_number: '6/8',
        status: 'failed',
        phases_completed: ALL_PHASES,
        progress_detail: reason,
        started_at: '2026-11-20T13:00:00Z',
        // The build's own clock says when it failed: just now.
        last_updated: new Date().toISOString(),
      }),
    );

  /** A build that failed at Deploy with a long reason, and one still testing. */
  async function twoBuilds(): Promise<void> {
    await failTodo(FAILURE);
    await push(phase({ current_phase: 'Test', phase_number: '4/7', status: 'testing' }));
  }

  async function open(
    url: string,
    options: { width?: number; height?: number; timezoneId?: string } = {},
  ): Promise<Page> {
    const { width = 1440, height = 900, timezoneId } = options;
    context = await browser.newContext({
      viewport: { width, height },
      ...(timezoneId ? { timezoneId } : {}),
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.locator('#connection[data-conn="live"]').waitFor();
    return page;
  }

  it('shares the width of a wide screen between the cards and shows the pipeline and the reason in full', async () => {
    server = await startTestServer();
    await twoBuilds();
    const page = await open(`${server.url}/?tab=all`);
    await page.locator('article.card').nth(1).waitFor();
    const widths = await page.evaluate(() => {
      const main = document.querySelector('#session-list')?.getBoundingClientRect().width ?? 0;
      const cards = Array.from(document.querySelectorAll('article.card'), (card) =>
        card.getBoundingClientRect(),
      );
      return { main, cards: cards.map((card) => card.width), top: cards.map((card) => card.top) };
    });
    // Two builds side by side, taking the list's whole width between them (not 330 px each).
    expect(widths.cards).toHaveLength(2);
    expect(widths.top[0]).toBe(widths.top[1]);
    expect((widths.cards[0] ?? 0) + (widths.cards[1] ?? 0)).toBeGreaterThan(widths.main * 0.95);

    const failed = page.locator('article.card[data-state="failed"]');
    expect(await failed.locator('.detail').textContent()).toBe(FAILURE);
    // Nothing on a card is cut: every piece of text fits its box, none ends in an ellipsis.
    const cut = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll(
          'article.card .seg-name, article.card .seg-time, article.card .detail, article.card dt, article.card h3',
        ),
      )
        .filter(
          (el) => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis',
        )
        .map((el) => `${el.className}: ${el.textContent}`),
    );
    expect(cut).toEqual([]);
    const names = await failed.locator('.seg-name').allTextContents();
    expect(names.slice(0, 7)).toEqual([...ALL_PHASES, 'Deploy']);
  });

  it('fits a phone: the tabs in one row, the phase table scrolling inside its panel', async () => {
    server = await startTestServer();
    await twoBuilds();
    const page = await open(`${server.url}/?tab=all`, { width: 390, height: 844 });
    await page.locator('article.card').nth(1).waitFor();
    const tabs = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[role="tab"]'), (tab) => tab.getBoundingClientRect()),
    );
    expect(tabs).toHaveLength(4);
    expect(new Set(tabs.map((tab) => Math.round(tab.top))).size).toBe(1);
    expect(Math.max(...tabs.map((tab) => tab.right))).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.goto(`${server.url}/sessions/todo-api`);
    await page.locator('#timeline table').waitFor();
    const table = await page.evaluate(() => {
      const wrap = document.querySelector('#timeline .table-wrap');
      const panel = document.querySelector('#timeline')?.getBoundingClientRect();
      return {
        page: document.documentElement.scrollWidth,
        panelRight: panel?.right ?? 0,
        overflow: wrap ? getComputedStyle(wrap).overflowX : '',
        scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : false,
      };
    });
    // The page itself stays phone-wide; the table scrolls sideways inside its own panel.
    expect(table.page).toBeLessThanOrEqual(390);
    expect(table.panelRight).toBeLessThanOrEqual(390);
    expect(table.overflow).toBe('auto');
    expect(table.scrolls).toBe(true);
  });

  it('moves between the tabs with the arrow keys, Home and End, and keeps focus when one is chosen', async () => {
    server = await startTestServer();
    await twoBuilds();
    const page = await open(server.url);
    await page.locator('#tab-active').waitFor();
    expect(await page.locator('[role="tab"][tabindex="0"]').getAttribute('id')).toBe('tab-active');
    expect(await page.locator('[role="tab"][tabindex="-1"]').count()).toBe(3);
    await page.focus('#tab-active');
    const focused = () => page.evaluate(() => document.activeElement?.id);
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-completed');
    await page.keyboard.press('End');
    expect(await focused()).toBe('tab-all');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-active');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('tab-all');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('tab-active');
    // Moving along the tabs shows nothing new; Enter (or Space) shows the focused tab.
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#session-list').getAttribute('data-tab')).toBe('active');
    await page.keyboard.press('Enter');
    await page.locator('#session-list[data-tab="all"]').waitFor();
    await page.locator('#tab-all[aria-selected="true"][tabindex="0"]').waitFor();
    expect(await focused()).toBe('tab-all');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press(' ');
    await page.locator('#session-list[data-tab="failed"]').waitFor();
    expect(await focused()).toBe('tab-failed');
  });

  it('announces a failure in the title, the favicon and a notice, and a completion in a notice', async () => {
    server = await startTestServer();
    await push(phase({ current_phase: 'Test', phase_number: '4/7', status: 'testing' }));
    await push(phase({ session_id: 'todo-api', started_at: '2026-11-20T13:00:00Z', status: 'testing' }));
    const page = await open(server.url);
    await page.waitForFunction(() => document.title === '(2 running) buildcast');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');

    await failTodo(FAILURE);
    await page.waitForFunction(() => document.title === '(1 running, 1 failed) buildcast');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg?alert=failed');
    const notices = page.locator('#notices[role="status"][aria-live="polite"]');
    const failure = notices.locator('.notice-failed');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('todo-api failed at Deploy');
    expect(await failure.locator('a').getAttribute('href')).toBe('/sessions/todo-api-20261120T130000Z');
    // The icon it points at is buildcast's own, with the red dot.
    const icon = await (await fetch(`${server.url}/favicon.svg?alert=failed`)).text();
    expect(icon).toContain('data-alert="failed"');

    await push(
      phase({
        current_phase: 'Feedback',
        phase_number: '7/8',
        status: 'completed',
        phases_completed: [...ALL_PHASES, 'Deploy', 'Feedback'],
      }),
    );
    await page.waitForFunction(() => document.title === '(1 failed) buildcast');
    await notices.locator('.notice-completed').waitFor();
    expect(await notices.locator('.notice-completed').textContent()).toContain('weather-app completed');
    await failure.locator('button[aria-label="Dismiss"]').click();
    expect(await notices.locator('.notice-failed').count()).toBe(0);
  });

  it('says how long ago a finished build finished, in a neutral colour that never turns red', async () => {
    server = await startTestServer();
    await twoBuilds();
    const page = await open(`${server.url}/?tab=all`);
    const finished = page.locator('article.card[data-state="failed"] time.fresh');
    await finished.waitFor();
    expect(await finished.textContent()).toMatch(/^Finished (just now|\d+s ago)$/);
    // Three minutes later by the page's clock, through the page's own ticker.
    // A string, so that the test runner leaves its `import()` for the browser to resolve.
    const later = (await page.evaluate(`(async () => {
      const { tickStamps } = await import('/assets/client/ticker.js');
      tickStamps(Date.now() + 3 * 60_000 + 5_000);
      const stamp = (selector) => {
        const el = document.querySelector(selector);
        return { text: el.textContent, className: el.className, color: getComputedStyle(el).color };
      };
      return {
        failed: stamp('article.card[data-state="failed"] time.fresh'),
        running: stamp('article.card[data-state="running"] time.fresh'),
        muted: getComputedStyle(document.querySelector('article.card dt')).color,
      };
    })()`)) as Record<'failed' | 'running', { text: string; className: string; color: string }> & {
      muted: string;
    };
    expect(later.failed.text).toBe('Finished 3m ago');
    expect(later.failed.className).toBe('fresh fresh-ended');
    expect(later.failed.color).toBe(later.muted);
    // A build still going whose data is that old is stale, and says so.
    expect(later.running.text).toBe('Updated 3m ago');
    expect(later.running.className).toContain('fresh-red');
  });

  it('shows times in the viewer’s zone, with UTC in the tooltip, in the first page and in what comes later', async () => {
    server = await startTestServer();
    await twoBuilds();
    const drawn = await (await fetch(`${server.url}/sessions/todo-api`)).text();
    // The server cannot know the viewer's zone: it draws UTC and marks the time for the client.
    expect(drawn).toMatch(
      /data-local="datetime"\s+title="2026-11-20 13:00:00 UTC"\s*>2026-11-20 13:00:00 UTC</,
    );
    const page = await open(`${server.url}/sessions/todo-api`, { timezoneId: 'Asia/Kolkata' });
    const started = page.locator('.session-meta time[data-local="datetime"]');
    expect(await started.textContent()).toBe('2026-11-20 18:30:00');
    expect(await started.getAttribute('title')).toBe('2026-11-20 13:00:00 UTC');
    // Parts the page redraws (the detail) and lines the client draws itself are local too.
    await fetch(`${server.url}/api/broadcast/todo-api`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'retrying the health check', level: 'info' }),
    });
    const line = page.locator('#log-lines .log-line time').last();
    await line.waitFor();
    const [text, title] = [await line.textContent(), (await line.getAttribute('title')) ?? ''];
    const utc = /(\d\d):(\d\d):(\d\d) UTC$/.exec(title);
    expect(utc).not.toBeNull();
    const minutes = (Number(utc?.[1]) * 60 + Number(utc?.[2]) + 330) % (24 * 60);
    const local = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:${utc?.[3]}`;
    expect(text).toBe(local);
    await failTodo('Deploy failed again');
    await page.waitForFunction(
      () => document.querySelector('.detail-full')?.textContent === 'Deploy failed again',
    );
    expect(await started.textContent()).toBe('2026-11-20 18:30:00');
  });

  it('fetches each fragment once when the dashboard loads', async () => {
    server = await startTestServer();
    await twoBuilds();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const fragments: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/fragments/')) fragments.push(`${url.pathname}${url.search}`);
    });
    await page.goto(`${server.url}/?tab=all`);
    await page.locator('#connection[data-conn="live"]').waitFor();
    await page.locator('article.card').nth(1).waitFor();
    await page.locator('#tab-all').waitFor();
    // Long enough for a second round of requests, had the page made one.
    await page.waitForTimeout(1_000);
    expect(fragments.sort()).toEqual(['/fragments/sessions?tab=all', '/fragments/tabs?tab=all']);
  });
});
