/**
 * @module
 * Real metrics for sessions: stores each token sample once, attributes it to the build whose
 * work directory holds its `cwd` and whose time span holds its timestamp (else to the
 * OpenTelemetry project, else to a plain Claude Code session of its own), applies Context
 * Foundry's side files, and announces changed metrics under the same change-only rule as
 * sessions.
 */
import type { Session } from '../shared/protocol.js';
import type { SessionMetrics } from '../shared/metrics.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import { Emitter } from '../shared/emitter.js';
import { contentHash } from '../shared/hash.js';
import { Lru } from '../shared/lru.js';
import type { SideFileObservation, TokenSample } from '../collector/types.js';
import { Attribution, isBuild, LEAD_MS } from './attribution.js';
import { aggregateMetrics, type Pricing } from './metrics-aggregate.js';
import type { SessionRegistry } from './registry.js';
import { summaryOutcome } from './run-summary.js';
import { isSilent } from './stall.js';
import { WaitingQueue } from './waiting-queue.js';
import type { MetricsStorage, StateStorage } from './storage.js';

/** How long a recent request that fits no build waits for one before it starts a session of its own. */
export const HOLD_MS = 2 * 60_000;
const MAX_HELD_FOLDERS = 1_000;
const MAX_HELD_PER_FOLDER = 10_000;
/** Subagent requests whose counted tokens are remembered, for the later lines of their streams. */
const COUNTED_REQUESTS = 10_000;

export interface MetricsServiceOptions {
  store: {
    metrics: MetricsStorage;
    state: Pick<StateStorage, 'claudeLinks' | 'externalSessions'>;
  };
  registry: SessionRegistry;
  prices: Pricing;
  clock: Clock;
  /** SPEC 2 stall window: a plain Claude Code session silent this long has ended (default 10 min). */
  stallMs?: number;
  /** Delay that gathers a burst of samples into one recomputation per session. */
  settleMs?: number;
}

/** Tokens a subagent of a session used in one batch of transcript lines. */
export interface SubagentUsage {
  sessionId: string;
  agentId: string;
  tokens: number;
  at: number;
}

/** What the metrics tell those who follow them. */
export type MetricsEvents = {
  /** A session's metrics changed, with their new content hash. */
  metrics: [metrics: SessionMetrics, hash: string];
  /** Subagents seen in transcripts used tokens. */
  subagents: [usage: SubagentUsage[]];
};

interface Computed {
  metrics: SessionMetrics;
  hash: string;
  /** What the figures were computed from (see {@link inputsOf}). */
  inputs: string;
}

/**
 * What a session's metrics depend on besides its samples: where and when it ran (which samples are
 * its own) and its phases (which phase each request counts for). A change to anything else, such as
 * the totals the metrics themselves set on the session, needs no recomputation.
 */
function inputsOf(session: Session): string {
  const { workdir, project, source, startedAt, endedAt, phases, testIteration } = session;
  return contentHash({ workdir, project, source, startedAt, endedAt, phases, testIteration });
}

export class MetricsService {
  readonly changes = new Emitter<MetricsEvents>();
  readonly #o: Required<MetricsServiceOptions>;
  readonly #cache = new Map<string, Computed>();
  readonly #attribution: Attribution;
  readonly #currentIteration = new Map<string, number>();
  readonly #dirty = new Set<string>();
  #timer: TimerHandle | null = null;
  /** Recent requests that fit no build yet, by folder (see {@link HOLD_MS}); too many are not held. */
  readonly #held = new WaitingQueue<TokenSample>({
    maxKeys: MAX_HELD_FOLDERS,
    maxPerKey: MAX_HELD_PER_FOLDER,
    onEvict: (_folder, samples) => this.#attributeAll(samples, true),
  });
  #heldTimer: TimerHandle | null = null;
  /** Tokens counted per subagent request: a later, larger line of one stream adds only the rest. */
  readonly #counted = new Lru<string, number>(COUNTED_REQUESTS);

  constructor(options: MetricsServiceOptions) {
    this.#o = { ...options, settleMs: options.settleMs ?? 50, stallMs: options.stallMs ?? 600_000 };
    this.#attribution = new Attribution(options.store, options.registry);
  }

  /**
   * Stores samples whose figures may grow (running totals from OpenTelemetry metrics, one per
   * session and model, replaced by key) and refreshes the sessions they belong to.
   */
  replaceTotals(samples: readonly TokenSample[]): void {
    if (samples.length === 0) return;
    this.#o.store.metrics.replaceSamples(samples);
    for (const sample of samples) this.#dirty.add(this.#attribution.attribute(sample));
    this.#schedule();
  }

  /** Removes a Claude Code session's samples whose key starts with `keyPrefix`, and refreshes its build. */
  dropSamples(claudeSessionId: string, keyPrefix: string): void {
    if (this.#o.store.metrics.deleteSamples(claudeSessionId, keyPrefix) === 0) return;
    const linked = this.#attribution.buildForClaude(claudeSessionId);
    if (linked) this.#dirty.add(linked);
    this.#schedule();
  }

  /** The buildcast session a Claude Code session's requests belong to, once known. */
  sessionForClaude(claudeSessionId: string): string | undefined {
    return this.#attribution.buildForClaude(claudeSessionId);
  }

  /** Stores new samples (each key once, ever) and refreshes the sessions they touch. */
  ingest(samples: readonly TokenSample[]): number {
    const fresh = this.#o.store.metrics.insertSamples(samples);
    if (fresh.length === 0) return 0;
    this.#attributeAll(fresh);
    return fresh.length;
  }

  /**
   * A build's agent starts before it writes its first phase file: a recent request that fits no
   * build waits a little for one to appear before it makes a plain Claude Code session of its own.
   */
  #attributeAll(samples: readonly TokenSample[], final = false): void {
    const now = this.#o.clock.now();
    const subagents = new Map<string, SubagentUsage>();
    for (const sample of samples) {
      const wait = !final && sample.source === 'transcript' && now - sample.at < HOLD_MS;
      const sessionId = wait
        ? this.#attribution.attribute(sample, false)
        : this.#attribution.attribute(sample);
      if (sessionId === null) {
        this.#hold(sample);
        continue;
      }
      this.#dirty.add(sessionId);
      if (!sample.agentId) continue;
      const total = sample.input + sample.output + sample.cacheRead + sample.cacheWrite;
      const added = total - (this.#counted.get(sample.key) ?? 0);
      if (added <= 0) continue;
      this.#counted.set(sample.key, total);
      const key = `${sessionId}\u0000${sample.agentId}`;
      const usage = subagents.get(key) ?? { sessionId, agentId: sample.agentId, tokens: 0, at: sample.at };
      usage.tokens += added;
      usage.at = Math.max(usage.at, sample.at);
      subagents.set(key, usage);
    }
    if (subagents.size > 0) this.changes.emit('subagents', [...subagents.values()]);
    this.#schedule();
  }

  #hold(sample: TokenSample): void {
    this.#held.keep(sample.cwd ?? '', sample);
    this.#heldTimer ??= this.#o.clock.setTimeout(() => {
      this.#heldTimer = null;
      this.#attributeAll(this.#held.takeAll(), true);
    }, HOLD_MS);
  }

  /** Called on every session change: phases moved (attribution by phase changes), or a run appeared. */
  sessionChanged(session: Session): void {
    // A build appeared: the requests waiting for one may belong to it.
    if (this.#held.size > 0 && isBuild(session) && session.workdir) this.#attributeAll(this.#held.takeAll());
    const cached = this.#cache.get(session.id);
    if (cached?.inputs === inputsOf(session)) return;
    if (cached || (isBuild(session) && session.tokensTotal !== null)) {
      this.#dirty.add(session.id);
      this.#schedule();
    }
  }

  /** Current metrics of a session (computed on first ask, then kept up to date). */
  metrics(sessionId: string): SessionMetrics | null {
    return this.#entry(sessionId)?.metrics ?? null;
  }

  /** Metrics with their hash, for a client that follows one session. */
  current(sessionId: string): { metrics: SessionMetrics; hash: string } | null {
    return this.#entry(sessionId);
  }

  /** Recomputes every dirty session now (tests; shutdown). */
  flush(): void {
    if (this.#timer) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
    const ids = [...this.#dirty];
    this.#dirty.clear();
    for (const id of ids) this.#refresh(id);
  }

  close(): void {
    if (this.#heldTimer) this.#o.clock.clearTimeout(this.#heldTimer);
    this.#heldTimer = null;
    if (this.#held.size > 0) this.#attributeAll(this.#held.takeAll(), true);
    this.flush();
  }

  #schedule(): void {
    this.#timer ??= this.#o.clock.setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, this.#o.settleMs);
  }

  #entry(sessionId: string): Computed | null {
    const cached = this.#cache.get(sessionId);
    if (cached) return cached;
    const session = this.#o.registry.get(sessionId);
    if (!session) return null;
    const entry = this.#compute(session);
    this.#cache.set(sessionId, entry);
    return entry;
  }

  #compute(session: Session): Computed {
    const metrics = aggregateMetrics({
      sessionId: session.id,
      samples: this.#attribution.samplesOf(session),
      phases: session.phases,
      prices: this.#o.prices,
      iterations: this.#o.store.metrics.loadTestIterations(session.id),
      currentIteration: this.#currentIteration.get(session.id) ?? session.testIteration,
    });
    return { metrics, hash: contentHash(metrics), inputs: inputsOf(session) };
  }

  #refresh(id: string): void {
    const session = this.#o.registry.get(id);
    if (!session) return;
    const before = this.#cache.get(id);
    const next = this.#compute(session);
    this.#cache.set(id, next);
    const { tokens } = next.metrics;
    if (tokens.requests > 0) this.#o.registry.setTotals(id, tokens.total, tokens.costUsd);
    else if (session.tokensTotal !== null) this.#o.registry.setTotals(id, null, null);
    if (!isBuild(session)) this.#touchExternal(session, next.metrics);
    if (before?.hash !== next.hash) this.changes.emit('metrics', next.metrics, next.hash);
  }

  /** Keeps a plain Claude Code session's summary line and change stamp in step with its usage. */
  #touchExternal(session: Session, metrics: SessionMetrics): void {
    const last = metrics.tokens.series.at(-1);
    const lastAt = last
      ? new Date(Date.parse(last.at) + metrics.tokens.bucketMs).toISOString()
      : session.updatedAt;
    const model = metrics.tokens.byModel[0]?.model;
    const detail = `${metrics.tokens.requests} requests${model ? ` · ${model}` : ''}`;
    const updatedAt = lastAt > session.updatedAt ? lastAt : session.updatedAt;
    if (detail === session.progressDetail && updatedAt === session.updatedAt) return;
    const live = !isSilent(Date.parse(updatedAt), this.#o.clock.now(), this.#o.stallMs);
    this.#o.registry.put({
      ...this.#o.registry.get(session.id)!,
      progressDetail: detail,
      updatedAt,
      state: live ? 'running' : 'completed',
      endedAt: live ? null : updatedAt,
    });
  }

  /** Applies a test or summary side file to the session it belongs to. */
  applySide(session: Session, observation: SideFileObservation): void {
    // Files left over from an earlier run in the same folder say nothing about this one.
    if (observation.at < Date.parse(session.startedAt) - LEAD_MS) return;
    switch (observation.kind) {
      case 'test-count':
        this.#currentIteration.set(session.id, observation.iteration);
        break;
      case 'test-results': {
        const { iteration, passed, failed, failing } = observation;
        this.#o.store.metrics.saveTestIteration(session.id, { iteration, passed, failed, failing });
        break;
      }
      case 'build-tasks':
      case 'events':
      case 'log-lines':
        return;
      case 'summary': {
        const outcome = summaryOutcome(session, observation, observation.at, this.#o.clock.now());
        if (outcome) this.#o.registry.finish(session.id, outcome.state, outcome.endedAt);
        return;
      }
    }
    this.#dirty.add(session.id);
    this.#schedule();
  }
}
