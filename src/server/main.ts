/**
 * @module
 * The composition root: builds store, registry, hub, collector and app from one `Config`,
 * wires them so data flows one way (collector → registry/store → hub → clients), and owns
 * shutdown. Nothing else creates these or reads the environment.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { systemClock, type Clock } from '../shared/clock.js';
import { Collector } from '../collector/collector.js';
import { discoverClaudeDirs } from '../collector/claude-dirs.js';
import type { TranscriptTailer } from '../collector/transcript-tailer.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { Hub } from '../live/hub.js';
import { BuildActivity } from '../core/activity.js';
import { AgentBook } from '../core/agent-book.js';
import { createHistory } from '../core/history.js';
import { LogBook } from '../core/log-book.js';
import { buildPlan } from '../core/plan.js';
import { WorkdirRouter } from '../core/workdir-router.js';
import { MetricsService } from '../core/metrics-service.js';
import { loadPricing } from '../core/pricing.js';
import { SessionRegistry } from '../core/registry.js';
import { openStore } from '../store/store.js';
import { WriteCoalescer } from '../store/write-coalescer.js';

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
  const problems = new Map<string, string>();
  const logs = new LogBook(store.activity);
  let hub: Hub | null = null;
  let metrics: MetricsService | null = null;
  let agents: AgentBook | null = null;
  let router: WorkdirRouter | null = null;
  const registry = new SessionRegistry({
    store,
    writer,
    clock,
    freshMs: config.freshMs,
    stallMs: config.stallMs,
    onChange: (session, hash) => {
      const sent = hub?.publish(session, hash) ?? 0;
      metrics?.sessionChanged(session);
      router?.sessionChanged(session);
      agents?.sessionChanged(session);
      return sent;
    },
  });
  const restored = registry.load();
  const pricing = loadPricing({
    builtin: path.join(packageRoot, 'data', 'pricing.json'),
    override: config.pricing ?? defaultPricing ?? null,
    overrideOptional: config.pricing === null,
  });
  for (const problem of pricing.problems) log(`pricing: ${problem}`);
  metrics = new MetricsService({
    store,
    registry,
    prices: pricing.table,
    clock,
    publish: (m, hash) => hub?.publishMetrics(m, hash) ?? 0,
    onSubagents: (usage) => {
      for (const { sessionId, agentId, tokens, at } of usage)
        agents?.addSubagentUsage(sessionId, agentId, tokens, at);
    },
  });
  agents = new AgentBook({
    store: store.activity,
    registry,
    clock,
    stallMs: config.stallMs,
    publish: (agent, hash) => hub?.publishAgent(agent, hash) ?? 0,
  });
  hub = new Hub({
    clock,
    heartbeatMs: config.heartbeatMs,
    metrics: (sessionId) => metrics.current(sessionId),
    snapshot: (sessionId) => {
      if (sessionId === null) return registry.entries(200);
      const session = registry.get(sessionId);
      return session ? [{ session, hash: registry.hash(sessionId)! }] : [];
    },
    onDrop: (_client, reason) => log(`dropped a client: ${reason}`),
  });
  const activity = new BuildActivity({
    store,
    logs,
    agents,
    hub,
    // Builder's tasks are part of the plan shown with the session: announce it again.
    onTasks: (session) => {
      const plan = buildPlan(session, activity.tasks(session.id));
      hub?.publishPlan(session.id, plan, createHash('sha1').update(JSON.stringify(plan)).digest('base64url'));
    },
  });
  router = new WorkdirRouter(registry, (session, observation) => {
    metrics!.applySide(session, observation);
    activity.apply(session, observation);
  });

  const collector = new Collector({
    roots: config.roots,
    checkpoints: config.checkpoints,
    clock,
    debounceMs: config.debounceMs,
    lineOffsets: {
      get: (file) => {
        const value = store.getMeta(`lines:${file}`);
        return value ? (JSON.parse(value) as { offset: number; ino: number }) : null;
      },
      set: (file, value) => store.setMeta(`lines:${file}`, JSON.stringify(value)),
    },
    sink: {
      observe: (observation) => registry.apply(observation),
      side: (observation) => router!.route(observation),
      cleared: (file) => registry.clearFault(file),
      fault: (fault) => {
        log(`problem with ${fault.file}: ${fault.reason}`);
        registry.fault(fault);
      },
      problem: (where, reason) => {
        problems.set(where, reason);
        log(`cannot watch ${where}: ${reason}`);
      },
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
    store,
    clock,
    log,
    onSamples: (batch) => metrics!.ingest(batch),
    onProgress: (progress) => hub?.broadcastBackfill(progress),
  });
  const { tailer } = history;

  const app = createApp({
    registry,
    hub,
    logs,
    clock,
    metrics,
    agents,
    plan: (session) => buildPlan(session, activity.tasks(session.id)),
    tasks: (sessionId) => activity.tasks(sessionId),
    packageRoot,
    maxBodyBytes: config.maxBodyBytes,
    token: config.token,
    publicView: config.public,
    host: config.host,
    allowedHosts: config.allowedHosts,
    rate: config.rate,
    backfill: history.backfill,
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
  registry.startStallWatch();
  agents.startStallWatch();
  await collector.start();
  // Builds first, so the history read next attributes each request to the build it belongs to.
  await collector.flushPending();
  await tailer.start();
  log(`restored ${restored} session(s); watching ${config.roots.join(', ')}`);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      registry.stopStallWatch();
      agents.stopStallWatch();
      await collector.close();
      await tailer.close();
      hub!.closeAll();
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
