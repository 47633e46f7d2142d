/**
 * Helpers for the overlay's browser tests: a build folder with phase and test files, the
 * overlay opened at its true size with its page errors and socket frames recorded, pixels of a
 * transparent screenshot, and the overlay framed over a coloured backdrop for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { LAYOUT_SIZES, type OverlayLayout } from '../../src/shared/overlay-params.js';
import type { Config } from '../../src/server/config.js';
import type { ServerHandle } from '../../src/server/main.js';
import { launchBrowser } from './browser.js';
import { phase, removeDir, startTestServer, tempDir, writePhaseFile } from './server.js';

/** The build's phase file, from `phase()` with `overrides`. */
export function writeBuild(workdir: string, overrides: Record<string, unknown> = {}): void {
  writePhaseFile(workdir, phase(overrides));
}

/** Writes the results of test iteration `n` and makes it the current one. */
export function writeTestResults(
  workdir: string,
  n: number,
  passed: number,
  failed: number,
  failing: string[] = [],
): void {
  const folder = path.join(workdir, '.context-foundry');
  mkdirSync(folder, { recursive: true });
  const lines = [
    `# Test results, iteration ${n}`,
    ...failing.map((name) => `✗ ${name}`),
    `${passed} passed, ${failed} failed`,
  ];
  writeFileSync(path.join(folder, `test-results-iteration-${n}.md`), `${lines.join('\n')}\n`);
  writeFileSync(path.join(folder, 'test-iteration-count.txt'), String(n));
}

/** An overlay page and what it went through. */
export interface OverlayPage {
  page: Page;
  /** Uncaught errors in the page. */
  errors: string[];
  /** The text of every frame its sockets received. */
  frames: string[];
  /** How many sockets it opened. */
  sockets: () => number;
  /** Bodies of the overlay's own HTML answers (page and fragments). */
  answers: string[];
  /** Closes the page and its browser context. */
  close(): Promise<void>;
}

/** Opens `url` in a page the size of `layout`, recording errors, frames and answers. */
export async function openOverlay(
  browser: Browser,
  url: string,
  layout: OverlayLayout,
  options: BrowserContextOptions = {},
): Promise<OverlayPage> {
  const context = await browser.newContext({ viewport: { ...LAYOUT_SIZES[layout] }, ...options });
  const page = await context.newPage();
  const opened: OverlayPage = {
    page,
    errors: [],
    frames: [],
    sockets: () => socketCount,
    answers: [],
    close: () => context.close(),
  };
  let socketCount = 0;
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('websocket', (socket) => {
    socketCount++;
    socket.on('framereceived', ({ payload }) => opened.frames.push(String(payload)));
  });
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/overlay')) return;
    if (response.request().resourceType() === 'websocket') return;
    void response.text().then(
      (body) => opened.answers.push(body),
      () => {},
    );
  });
  await page.goto(url);
  return opened;
}

/** Waits until the overlay's socket is live. */
export async function untilLive(page: Page): Promise<void> {
  await page.locator('body[data-conn="live"]').waitFor();
}

/** The alpha (0-255) of each point of a PNG, read by drawing it on a canvas in a blank page. */
export async function alphaAt(
  browser: Browser,
  png: Buffer,
  points: Array<[number, number]>,
): Promise<number[]> {
  const decoder = await browser.newPage();
  try {
    // A string, so the page's DOM types need not be known here.
    const script = `(async ({ data, points }) => {
      const image = new Image();
      image.src = 'data:image/png;base64,' + data;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      return points.map(([x, y]) => context.getImageData(x, y, 1, 1).data[3]);
    })`;
    return await decoder.evaluate(`${script}(${JSON.stringify({ data: png.toString('base64'), points })})`);
  } finally {
    await decoder.close();
  }
}

/** A screenshot of the overlay at its true size, framed over a backdrop of `colour`, saved to `file`. */
export async function shootOverBackdrop(
  browser: Browser,
  overlayUrl: string,
  layout: OverlayLayout,
  colour: string,
  file: string,
): Promise<void> {
  const { width, height } = LAYOUT_SIZES[layout];
  const margin = 24;
  const page = await browser.newPage({
    viewport: { width: width + 2 * margin, height: height + 2 * margin },
  });
  try {
    await page.setContent(
      `<body style="margin:0;background:${colour}"><iframe src="${overlayUrl}" width="${width}" height="${height}" ` +
        `style="display:block;border:0;margin:${margin}px"></iframe></body>`,
    );
    await page.frameLocator('iframe').locator('body[data-conn="live"]').waitFor();
    await page.screenshot({ path: file });
  } finally {
    await page.close();
  }
}

/**
 * One browser for a test file, and for each test a build folder, a server and an overlay page,
 * all closed and removed after it (page errors fail the test).
 */
export class OverlayRig {
  browser!: Browser;
  root = '';
  workdir = '';
  server: ServerHandle | null = null;
  overlay: OverlayPage | null = null;

  /** A fresh folder with one build in it, its phase file from `phase()` with `overrides`. */
  newBuild(overrides: Record<string, unknown> = {}): void {
    this.root = tempDir();
    this.workdir = path.join(this.root, 'weather');
    writeBuild(this.workdir, overrides);
  }

  /** A server watching the folder, on its database there. */
  async start(overrides: Partial<Config> = {}): Promise<ServerHandle> {
    this.server = await startTestServer({
      roots: [this.root],
      db: path.join(this.root, 'buildcast.db'),
      ...overrides,
    });
    return this.server;
  }

  async open(url: string, layout: OverlayLayout, options: BrowserContextOptions = {}): Promise<OverlayPage> {
    this.overlay = await openOverlay(this.browser, url, layout, options);
    return this.overlay;
  }
}

/** An {@link OverlayRig} wired to the file's hooks. */
export function overlayRig(): OverlayRig {
  const rig = new OverlayRig();
  beforeAll(async () => {
    rig.browser = await launchBrowser();
  });
  afterAll(async () => {
    await rig.browser?.close();
  });
  afterEach(async () => {
    const errors = rig.overlay?.errors ?? [];
    await rig.overlay?.close();
    rig.overlay = null;
    await rig.server?.close();
    rig.server = null;
    removeDir(rig.root);
    expect(errors).toEqual([]);
  });
  return rig;
}
