#!/usr/bin/env node
/**
 * @module
 * `buildcast [serve|demo|simulate]` (SPEC 6). The only module that reads `process.argv` and
 * `process.env`; it resolves the configuration, prints exactly one start-up line
 * `buildcast listening on http://HOST:PORT`, then logs, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../shared/clock.js';
import { prepareDemoTranscripts, runDemo } from '../demo/demo.js';
import { runSimulation } from '../demo/simulate.js';
import { parseConfig, USAGE, type Config } from './config.js';
import { packageRoot, startServer, type ServerHandle } from './main.js';
import { defaultDbPath } from '../store/store.js';

const version = (
  JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;
const log = (line: string) => console.error(`buildcast: ${line}`);

/** Stops on the first SIGINT/SIGTERM; a second signal, or a hung close, exits at once. */
function onShutdown(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal}: shutting down`);
    setTimeout(() => {
      log('shutdown took too long; exiting');
      process.exit(1);
    }, 3_000).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** `$XDG_CONFIG_HOME/buildcast/pricing.json` (or `~/.config/...`), used when it exists. */
function userPricingPath(): string {
  const base = process.env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return path.join(base, 'buildcast', 'pricing.json');
}

async function serve(config: Config): Promise<ServerHandle> {
  const server = await startServer(config, {
    log,
    version,
    defaultPricing: userPricingPath(),
    claudeHome: { env: process.env, home: os.homedir() },
  });
  console.log(`buildcast listening on ${server.url}`);
  return server;
}

async function demo(config: Config, defaultDb: string): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'buildcast-demo-'));
  const root = config.dir ?? tmp;
  const db = config.db === defaultDb ? path.join(tmp, 'buildcast-demo.db') : config.db;
  // The builds' Claude Code transcripts are read from the demo's own folder, never the user's.
  const claudeDir = await prepareDemoTranscripts(root, config.project);
  const server = await serve({ ...config, roots: [root], db, claudeDirs: [claudeDir] });
  const controller = new AbortController();
  onShutdown(async () => {
    controller.abort();
    await server.close();
  });
  log(`demo builds in ${root} (speed ${config.speed}×); open ${server.url} to watch them`);
  let warned = false;
  const result = await runDemo({
    root,
    project: config.project,
    speed: config.speed,
    signal: controller.signal,
    claudeDir,
    // Agents are pushed as an orchestrator would; log lines come from the builds' event logs.
    push: { url: server.url, lines: false, ...(config.token ? { token: config.token } : {}) },
    onStep: (step) => {
      if (step.file.endsWith('current-phase.json'))
        log(`demo: ${step.project} ${step.phase} ${step.status}: ${step.detail}`);
    },
    onPushFailure: (project, failure) => {
      if (warned) return;
      warned = true;
      log(`demo: a push for ${project} to ${failure.path} failed (${failure.reason}); the builds go on`);
    },
  });
  if (!controller.signal.aborted) {
    const outcomes = result.builds.map((build) => `${build.project} ${build.result.outcome}`).join(', ');
    log(`demo builds ended (${outcomes}); still serving, Ctrl-C to stop`);
  }
}

async function simulate(config: Config): Promise<void> {
  if (!config.dir) {
    console.error('buildcast simulate needs --dir DIR: the folder to write the build into');
    process.exit(2);
  }
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  log(`simulating a build in ${config.dir} (speed ${config.speed}×)`);
  const result = await runSimulation({
    dir: config.dir,
    project: config.project,
    speed: config.speed,
    clock: systemClock,
    signal: controller.signal,
    onStep: (step) => log(`${step.phase} ${step.status}: ${step.detail}`),
  });
  log(result.completed ? 'build completed' : 'build stopped');
}

async function main(): Promise<void> {
  const defaultDb = defaultDbPath(process.env);
  const parsed = parseConfig(process.argv.slice(2), process.env, process.cwd(), defaultDb);
  if (!parsed.ok) {
    console.error(`buildcast: ${parsed.message}`);
    process.exit(2);
  }
  const { config } = parsed;
  switch (config.command) {
    case 'help':
      console.log(USAGE);
      return;
    case 'version':
      console.log(version);
      return;
    case 'simulate':
      return simulate(config);
    case 'demo':
      return demo(config, defaultDb);
    case 'serve': {
      const server = await serve(config);
      onShutdown(() => server.close());
      return;
    }
  }
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE')
    console.error(`buildcast: port already in use (${err.message}); try --port 0`);
  else console.error(`buildcast: ${err.stack ?? String(error)}`);
  process.exit(1);
});
