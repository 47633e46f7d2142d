/**
 * @module
 * The composition root: builds store, registry, hub, collector and app from one `Config`,
 * wires them so data flows one way (collector → registry/store → hub → clients), and owns
 * shutdown. Nothing else creates these or reads the environment.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { systemClock, type Clock } from '../shared/clock.js';
import { contentHash } from '../shared/hash.js';
import { Collector } from '../collector/collector.js';
import { discoverClaudeDirs } from '../collector/claude-dirs.js';
import { loadPricing } from '../collector/pricing-file.js';
import type { TranscriptTailer } from '../collector/transcript-tailer.js';
import { createDomain, type Domain } from '../core/domain.js';
import { createHistory } from '../core/history.js';
import { PriceTable } from '../core/pricing.js';
import { Retention } from '../core/retention.js';
import type { AgentBook } from '../core/agent-book.js';
import type { MetricsService } from '../core/metrics-service.js';
import type { SessionRegistry } from '../core/registry.js';
import { Hub } from '../live/hub.js';
import { openStore } from '../store/store.js';
import { WriteCoalescer } from '../store/write-coalescer.js';
import { createApp } from './app.js';
import type { Config } from './config.js';

/** The folder holding package.json, public/ and dist/ (this file is in src/server or dist/src/server). */
export const packageRoot = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = here.split(path.sep).includes('dist') ? '../../..' : '../..';
  return path.resolve(here, up);
})();

export interface ServerHandle {
  url: string;
  port: number;
  host: string;
  registry: SessionRegistry;
  hub: Hub;
  metrics: MetricsService;
  agents: AgentBook;
  collector: Collector;
  tailer: TranscriptTailer;
  /** Stops watching, closes connections, flushes writes, closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** The user's pricing file to use when it exists and `--pricing` names none. */
  defaultPricing?: string;
  /**
   * Where to look for Claude Code transcripts besides `--claude-dir` (SPEC 1.5: `~/.claude`,
   * `~/.config/claude`, `CLAUDE_CONFIG_DIR`); the command line passes its environment here.
   */
  claudeHome?: { env: Record<string, string | undefined>; home: string };
  log?: (line: string) => void;
  version?: string;
}

/** Starts buildcast from a resolved configuration; resolves once it is listening. */
export async function startServer(
  config: Config,
  { clock = systemClock, log = () => {}, version = '0.0.0', defaultPricing, claudeHome }: StartOptions = {},
): Promise<ServerHandle> {
  const store = openStore(config.db);
  const writer = new WriteCoalescer({
    store,
    clock,
    onError: (error) => log(`storage write failed, will retry: ${(error as Error).message}`),
  });
  const pricing = loadPricing({
    builtin: path.join(packageRoot, 'data', 'pricing.json'),
    override: config.pricing ?? defaultPricing ?? null,
    overrideOptional: config.pricing === null,
  });
  for (const problem of pricing.problems) log(`pricing: ${problem}`);

  const domain = createDomain({
    store,
    writer,
    clock,
    prices: new PriceTable(pricing.entries),
    freshMs: config.freshMs,
    stallMs: config.stallMs,
  });
  const { registry, metrics, agents, logs } = domain;
  const restored = registry.load();
  // Old runs go before anyone sees them (SPEC 6 `--retain-days`), then once a day.
  const retention =
    config.retainDays === null
      ? null
      : new Retention({ runs: registry, clock, days: config.retainDays, log });
  retention?.start();

  const hub = new Hub({
    clock,
    heartbeatMs: config.heartbeatMs,
    maxBufferedBytes: config.maxClientBufferBytes,
    metrics: (sessionId) => metrics.current(sessionId),
    snapshot: (sessionId) => {
      if (sessionId === null) return registry.entries(200);
      const session = registry.get(sessionId);
      const hash = registry.hash(sessionId);
      return session && hash ? [{ session, hash }] : [];
    },
    onDrop: (_client, reason) => log(`dropped a client: ${reason}`),
  });
  connectLive(domain, hub);

  const problems = new Map<string, string>();
  const collector = new Collector({
    roots: config.roots,
    checkpoints: config.checkpoints,
    clock,
    debounceMs: config.debounceMs,
    lineOffsets: store.state.lineOffsets,
    sink: {
      observe: (observation) => registry.apply(observation),
      side: (observation) => domain.router.route(observation),
      cleared: (file) => registry.clearFault(file),
      fault: (fault) => {
        log(`problem with ${fault.file}: ${fault.reason}`);
        registry.fault(fault);
      },
      problem: (where, reason) => {
        problems.set(where, reason);
        log(`cannot watch ${where}: ${reason}`);
      },
      resolved: (where) => problems.delete(where),
    },
  });

  const claudeDirs =
    config.claudeDirs.length > 0 || claudeHome
      ? discoverClaudeDirs({
          env: claudeHome?.env ?? {},
          home: claudeHome?.home ?? '',
          explicit: config.claudeDirs,
        })
      : [];
  const history = createHistory({
    dirs: claudeDirs,
    offsets: store.state.transcriptOffsets,
    clock,
    log,
    onSamples: (batch) => metrics.ingest(batch),
    onProgress: (progress) => hub.broadcastBackfill(progress),
  });
  const { tailer } = history;

  // With a token and no overlay token of its own, the overlay gets one made now: it is shown on
  // /overlay/setup, and the next start makes another, which is how it is rotated.
  const overlayTokenGenerated = config.overlayToken === null && config.token !== null;
  const overlayToken = overlayTokenGenerated ? randomBytes(18).toString('base64url') : config.overlayToken;
  if (overlayTokenGenerated) log('made an overlay token for this run; /overlay/setup shows the URL for OBS');

  const app = createApp({
    registry,
    hub,
    logs,
    clock,
    metrics,
    agents,
    plan: domain.plan,
    history: domain.history,
    tasks: (sessionId) => domain.activity.tasks(sessionId),
    packageRoot,
    maxBodyBytes: config.maxBodyBytes,
    token: config.token,
    overlayToken,
    overlayTokenGenerated,
    publicView: config.public,
    host: config.host,
    allowedHosts: config.allowedHosts,
    rate: config.rate,
    backfill: history.backfill,
    committed: () => writer.commit(),
    telemetry: domain.telemetry,
    log,
    health: () => ({
      version,
      claudeDirs,
      transcripts: {
        ...tailer.stats(),
        problemsByFile: history.filesWithProblems(),
        backfill: history.backfill(),
      },
      roots: config.roots,
      checkpoints: config.checkpoints,
      db: config.db,
      problems: [
        ...[...problems].map(([file, reason]) => ({ file, reason })),
        ...registry.orphanWarnings().map(({ file, reason }) => ({ file, reason })),
      ],
    }),
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost =
    config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${address.port}`;

  hub.start();
  domain.stalls.start();
  await collector.start();
  // Builds first, so the history read next attributes each request to the build it belongs to.
  await collector.flushPending();
  await tailer.start();
  log(`restored ${restored} session(s); watching ${config.roots.join(', ')}`);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      domain.stalls.stop();
      retention?.stop();
      await collector.close();
      await tailer.close();
      hub.closeAll();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      metrics.close();
      writer.close();
      store.close();
    })());

  return {
    url,
    port: address.port,
    host: config.host,
    registry,
    hub,
    metrics,
    agents,
    collector,
    tailer,
    close,
  };
}

/** Every change the domain makes reaches the clients that follow it, under the change-only rule. */
function connectLive(domain: Domain, hub: Hub): void {
  domain.registry.changes.on('session', (session, hash) => hub.publish(session, hash));
  domain.metrics.changes.on('metrics', (metrics, hash) => hub.publishMetrics(metrics, hash));
  domain.agents.changes.on('agent', (agent, hash) => hub.publishAgent(agent, hash));
  domain.logs.changes.on('lines', (sessionId, lines) => hub.broadcastLog(sessionId, lines));
  // Builder's tasks are part of the plan shown with the session: announce it again.
  domain.activity.changes.on('tasks', (session) => {
    const plan = domain.plan(session);
    hub.publishPlan(session.id, plan, contentHash(plan));
  });
}
