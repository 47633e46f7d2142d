/**
 * @module
 * The domain, built in the order its parts depend on each other and wired so changes flow one
 * way: a run's change reaches the metrics, the side-file router and the agents; side files reach
 * the metrics and the build's activity; subagent usage reaches the agents. Everything it needs
 * from outside (storage, the clock, prices) is passed in; nothing here knows about HTTP, SQL or
 * sockets. The composition root connects the live side to the events this exposes.
 */
import type { PlanPhase, Session } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { BuildActivity } from './activity.js';
import { AgentBook } from './agent-book.js';
import { LogBook } from './log-book.js';
import { MetricsService } from './metrics-service.js';
import { buildPlan } from './plan.js';
import { RunHistory } from './run-history.js';
import type { PriceTable } from './pricing.js';
import { SessionRegistry } from './registry.js';
import { StallWatch } from './stall.js';
import type {
  ActivityStorage,
  MetricsStorage,
  SessionStorage,
  SessionWriter,
  StateStorage,
} from './storage.js';
import { Telemetry } from './telemetry.js';
import { WorkdirRouter } from './workdir-router.js';

/** Everything the domain keeps between restarts. */
export interface DomainStorage extends SessionStorage {
  readonly state: StateStorage;
  readonly metrics: MetricsStorage;
  readonly activity: ActivityStorage;
}

export interface DomainOptions {
  store: DomainStorage;
  writer: SessionWriter;
  clock: Clock;
  prices: PriceTable;
  /** SPEC 2 freshness window for live files (ms). */
  freshMs?: number;
  /** SPEC 2 stall window (ms): stalled builds and agents, ended plain Claude Code sessions. */
  stallMs?: number;
}

export interface Domain {
  registry: SessionRegistry;
  logs: LogBook;
  agents: AgentBook;
  metrics: MetricsService;
  activity: BuildActivity;
  router: WorkdirRouter;
  telemetry: Telemetry;
  /** Marks silent builds and agents; started and stopped by the composition root. */
  stalls: StallWatch;
  /** A session's whole phase plan, Builder's tasks included. */
  plan(session: Session): PlanPhase[];
  /** Comparisons, forecasts, exports, totals and deletion over every kept run. */
  history: RunHistory;
}

/** Builds the domain and connects its parts to each other. */
export function createDomain({ store, writer, clock, prices, freshMs, stallMs }: DomainOptions): Domain {
  const registry = new SessionRegistry({
    store,
    writer,
    clock,
    freshMs,
    stallMs,
    hosts: store.state.runHosts,
  });
  const logs = new LogBook(store.activity);
  const agents = new AgentBook({ store: store.activity, registry, clock, stallMs });
  const metrics = new MetricsService({ store, registry, prices, clock, stallMs });
  const activity = new BuildActivity({ tasks: store.state.buildTasks, logs, agents });
  const router = new WorkdirRouter(registry);

  registry.changes.on('session', (session) => {
    metrics.sessionChanged(session);
    router.sessionChanged(session);
    agents.sessionChanged(session);
  });
  registry.changes.on('removed', (session) => {
    agents.forget(session.id);
    logs.forget(session.id);
  });
  router.changes.on('side', (session, observation) => {
    metrics.applySide(session, observation);
    activity.apply(session, observation);
  });
  metrics.changes.on('subagents', (usage) => {
    for (const { sessionId, agentId, tokens, at } of usage)
      agents.addSubagentUsage(sessionId, agentId, tokens, at);
  });

  const plan = (session: Session) => buildPlan(session, activity.tasks(session.id));
  const history = new RunHistory({
    runs: registry,
    clock,
    metrics: (id) => metrics.metrics(id),
    plan,
    agents: (id) => agents.agents(id),
    // An export carries every line the log book keeps.
    logs: (id) => logs.tail(id, logs.maxLines),
  });

  return {
    registry,
    logs,
    agents,
    metrics,
    activity,
    router,
    telemetry: new Telemetry({ state: store.state, metrics, logs, clock }),
    stalls: new StallWatch(clock, stallMs ?? 600_000, [registry, agents]),
    plan,
    history,
  };
}
