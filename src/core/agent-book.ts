/**
 * @module
 * Agents inside builds (SPEC 1.7): their latest state per session, stored so a restart keeps
 * them, announced under the change-only rule, marked stalled once when silent for the stall
 * window, and kept aside when they arrive before their session exists (applied when it
 * appears, never dropped). Times are the build's own where it says them (an event's
 * `timestamp`), so reading an event log again never moves an agent's start or end. Subagents
 * seen only in Claude Code transcripts are listed for builds that report no agents themselves.
 */
import type { Agent, Session } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { Emitter } from '../shared/emitter.js';
import { contentHash } from '../shared/hash.js';
import type { AgentUpdate, ReportedAgentFields } from '../collector/agent-update.js';
import { retriedBy } from './agent-retry.js';
import { isBuild } from './attribution.js';
import type { SessionRegistry } from './registry.js';
import { isSilent } from './stall.js';
import type { ActivityStorage } from './storage.js';
import { WaitingQueue } from './waiting-queue.js';

const MAX_PENDING_KEYS = 200;
const MAX_PENDING_PER_KEY = 500;

export interface AgentBookOptions {
  store: Pick<ActivityStorage, 'saveAgents' | 'loadAgents'>;
  registry: SessionRegistry;
  clock: Clock;
  stallMs?: number;
}

/** What the agent book tells those who follow it. */
export type AgentBookEvents = {
  /** An agent's content changed, with its new content hash. */
  agent: [agent: Agent, hash: string];
};

export type AgentApply =
  { status: 'applied'; agent: Agent; changed: boolean } | { status: 'pending'; waiting: number };

/** What an agent last reported, in the order updates are compared. */
function reported(agent: Agent): ReportedAgentFields {
  const { type, name, status, reportedStatus, phase, progressPercent, tokensUsed, error, task } = agent;
  return { type, name, status, reportedStatus, phase, progressPercent, tokensUsed, error, task };
}

const isWorking = (agent: Agent): boolean =>
  agent.status === 'spawning' || agent.status === 'active' || agent.status === 'idle';

const isEnded = (session: Session): boolean => session.state === 'completed' || session.state === 'failed';

/** Agents stored before their task and retry were recorded have neither. */
function withDefaults(agent: Agent): Agent {
  return { ...agent, task: agent.task ?? null, retried: agent.retried ?? false };
}

interface Waiting {
  update: AgentUpdate;
  source: string;
  at: number;
}

export class AgentBook {
  readonly changes = new Emitter<AgentBookEvents>();
  readonly #o: Required<AgentBookOptions>;
  readonly #agents = new Map<string, Map<string, { agent: Agent; hash: string }>>();
  /** Updates for a session (or project) that does not exist yet, kept until it appears. */
  readonly #pending = new WaitingQueue<Waiting>({
    maxKeys: MAX_PENDING_KEYS,
    maxPerKey: MAX_PENDING_PER_KEY,
  });

  constructor(options: AgentBookOptions) {
    this.#o = { ...options, stallMs: options.stallMs ?? 600_000 };
    for (const agent of options.store.loadAgents()) this.#put(withDefaults(agent));
  }

  /**
   * Applies an update to its session's agent, or keeps it until the session exists. `at` is
   * when it happened (an event's own time; receipt by default), never later than now. An
   * update older than what the agent last reported says nothing new and is left out.
   */
  apply(update: AgentUpdate, source: string, at?: number): AgentApply {
    const now = this.#o.clock.now();
    const when = Math.min(at ?? now, now);
    const session = this.#resolve(update.sessionKey);
    if (!session) {
      return {
        status: 'pending',
        waiting: this.#pending.keep(update.sessionKey, { update, source, at: when }),
      };
    }
    return this.#applyTo(session, update, source, when);
  }

  /**
   * Subagents seen in Claude Code transcripts (sidechain lines with an `agentId`): active while
   * their usage grows, with their tokens counted. They report no end; silence ends them.
   */
  addSubagentUsage(sessionId: string, agentId: string, tokens: number, at: number): void {
    const session = this.#o.registry.get(sessionId);
    if (!session) return;
    const known = this.#agents.get(sessionId);
    // A build that reports its agents itself already counts this one; its tokens are in the metrics.
    if (known && [...known.values()].some(({ agent }) => agent.source !== 'transcript')) return;
    const id = `subagent-${agentId}`;
    const previous = known?.get(id)?.agent;
    this.#applyTo(
      session,
      {
        sessionKey: sessionId,
        agentId: id,
        type: 'subagent',
        name: previous?.name ?? `Subagent ${agentId.slice(0, 12)}`,
        // Usage read after its build ended is history: the subagent is not working now.
        status: isEnded(session) ? 'completed' : 'active',
        reportedStatus: null,
        phase: null,
        progressPercent: null,
        tokensUsed: (previous?.tokensUsed ?? 0) + tokens,
        error: null,
        task: null,
      },
      'transcript',
      Math.min(at, this.#o.clock.now()),
      false,
    );
  }

  /**
   * A session appeared or changed: updates that waited for it are applied now, in order; when it
   * has ended, the transcript subagents still shown working end with it.
   */
  sessionChanged(session: Session): void {
    for (const key of [session.id, session.project]) {
      if (!this.#pending.has(key) || this.#resolve(key)?.id !== session.id) continue;
      for (const { update, source, at } of this.#pending.take(key))
        this.#applyTo(session, update, source, at);
    }
    if (isEnded(session)) this.#endSubagents(session.id);
  }

  /**
   * A session's agents, first seen first. When the build reports agents itself, subagents seen
   * only in its transcripts are not listed beside them: they are the same work counted twice.
   */
  agents(sessionId: string): Agent[] {
    const all = [...(this.#agents.get(sessionId)?.values() ?? [])].map((entry) => entry.agent);
    const own = all.filter((agent) => agent.source !== 'transcript');
    return (own.length > 0 ? own : all).sort((a, b) =>
      a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1,
    );
  }

  /** A session was deleted: its agents go, so no stall check can write them back. */
  forget(sessionId: string): void {
    this.#agents.delete(sessionId);
  }

  /** How many updates wait for a session that does not exist yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Marks agents silent for the stall window as stalled, once each. */
  checkStalls(): void {
    const now = this.#o.clock.now();
    const changed: Agent[] = [];
    for (const agents of this.#agents.values()) {
      for (const { agent } of agents.values()) {
        if (
          !isWorking(agent) ||
          agent.stalled ||
          !isSilent(Date.parse(agent.updatedAt), now, this.#o.stallMs)
        )
          continue;
        // A subagent read from transcripts never says it finished: its silence is its end.
        if (agent.source === 'transcript')
          changed.push(this.#put({ ...agent, status: 'completed', endedAt: agent.updatedAt }));
        else changed.push(this.#put({ ...agent, stalled: true }));
      }
    }
    this.#announce(changed);
  }

  /** Transcript subagents report no end: a session's end is theirs, at their last sign of work. */
  #endSubagents(sessionId: string): void {
    const changed: Agent[] = [];
    for (const { agent } of this.#agents.get(sessionId)?.values() ?? []) {
      if (agent.source !== 'transcript' || !isWorking(agent)) continue;
      changed.push(this.#put({ ...agent, status: 'completed', stalled: false, endedAt: agent.updatedAt }));
    }
    this.#announce(changed);
  }

  /** Stores changed agents and tells the followers, each with its new hash. */
  #announce(changed: readonly Agent[]): void {
    if (changed.length === 0) return;
    this.#o.store.saveAgents(changed);
    for (const agent of changed)
      this.changes.emit('agent', agent, this.#agents.get(agent.sessionId)!.get(agent.id)!.hash);
  }

  #resolve(key: string): Session | undefined {
    const exact = this.#o.registry.get(key);
    if (exact) return exact;
    const latest = this.#o.registry.latestOfProject(key);
    if (latest && isBuild(latest)) return latest;
    // Rare: the project's newest run is a plain Claude Code session; look for its latest build.
    const runs = this.#o.registry.list({ project: key, limit: 20 }).sessions;
    return runs.find(isBuild) ?? runs[0];
  }

  /**
   * @param ordered whether an update older than the agent's last one is stale (reports and
   *   events); transcript usage adds up whatever order its batches come in.
   */
  #applyTo(session: Session, update: AgentUpdate, source: string, at: number, ordered = true): AgentApply {
    const previous = this.#agents.get(session.id)?.get(update.agentId)?.agent;
    if (previous && ordered && at < Date.parse(previous.updatedAt))
      return { status: 'applied', agent: previous, changed: false };
    const atIso = new Date(at).toISOString();
    const ended = update.status === 'completed' || update.status === 'failed';
    const content: ReportedAgentFields = {
      type: update.type ?? previous?.type ?? null,
      name: update.name ?? previous?.name ?? null,
      status: update.status,
      reportedStatus: update.reportedStatus,
      phase: update.phase ?? previous?.phase ?? session.currentPhase,
      progressPercent:
        update.progressPercent ?? (update.status === 'completed' ? 100 : (previous?.progressPercent ?? null)),
      tokensUsed: update.tokensUsed ?? previous?.tokensUsed ?? null,
      error: update.error ?? (update.status === 'failed' ? (previous?.error ?? null) : null),
      task: update.task ?? previous?.task ?? null,
    };
    const same =
      previous !== undefined && !previous.stalled && contentHash(content) === contentHash(reported(previous));
    if (same) return { status: 'applied', agent: previous, changed: false };
    const draft: Agent = {
      id: update.agentId,
      sessionId: session.id,
      ...content,
      retried: false,
      startedAt: previous?.startedAt ?? atIso,
      updatedAt: atIso,
      endedAt: ended
        ? previous?.endedAt && previous.status === update.status
          ? previous.endedAt
          : atIso
        : null,
      stalled: false,
      source: previous?.source ?? source,
    };
    const others = this.agents(session.id).filter((other) => other.id !== draft.id);
    const agent = this.#put({ ...draft, retried: others.some((other) => retriedBy(draft, other)) });
    // A retry that completed takes the failure off the agents it stood in for.
    const relieved = others
      .filter((other) => !other.retried && retriedBy(other, agent))
      .map((other) => this.#put({ ...other, retried: true }));
    this.#announce([agent, ...relieved]);
    return { status: 'applied', agent, changed: true };
  }

  #put(agent: Agent): Agent {
    const agents = this.#agents.get(agent.sessionId) ?? new Map<string, { agent: Agent; hash: string }>();
    agents.set(agent.id, { agent, hash: contentHash(agent) });
    this.#agents.set(agent.sessionId, agents);
    return agent;
  }
}
