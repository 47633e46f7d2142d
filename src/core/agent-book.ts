/**
 * @module
 * Agents inside builds (SPEC 1.7): their latest state per session, stored so a restart keeps
 * them, announced under the change-only rule, marked stalled once when silent for the stall
 * window, and kept aside when they arrive before their session exists (applied when it
 * appears, never dropped).
 */
import type { Agent, Session } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { Emitter } from '../shared/emitter.js';
import { contentHash } from '../shared/hash.js';
import type { AgentUpdate, ReportedAgentFields } from '../collector/agent-update.js';
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
  const { type, name, status, reportedStatus, phase, progressPercent, tokensUsed, error } = agent;
  return { type, name, status, reportedStatus, phase, progressPercent, tokensUsed, error };
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
    for (const agent of options.store.loadAgents()) this.#put(agent);
  }

  /** Applies an update to its session's agent, or keeps it until the session exists. */
  apply(update: AgentUpdate, source: string): AgentApply {
    const now = this.#o.clock.now();
    const session = this.#resolve(update.sessionKey);
    if (!session) {
      return {
        status: 'pending',
        waiting: this.#pending.keep(update.sessionKey, { update, source, at: now }),
      };
    }
    return this.#applyTo(session, update, source, now);
  }

  /**
   * Subagents seen in Claude Code transcripts (sidechain lines with an `agentId`): active while
   * their usage grows, with their tokens counted. They report no end; silence ends them.
   */
  addSubagentUsage(sessionId: string, agentId: string, tokens: number, at: number): void {
    const session = this.#o.registry.get(sessionId);
    if (!session) return;
    const id = `subagent-${agentId}`;
    const previous = this.#agents.get(sessionId)?.get(id)?.agent;
    this.#applyTo(
      session,
      {
        sessionKey: sessionId,
        agentId: id,
        type: 'subagent',
        name: previous?.name ?? `Subagent ${agentId.slice(0, 12)}`,
        status: 'active',
        reportedStatus: null,
        phase: null,
        progressPercent: null,
        tokensUsed: (previous?.tokensUsed ?? 0) + tokens,
        error: null,
      },
      'transcript',
      Math.min(at, this.#o.clock.now()),
    );
  }

  /** A session appeared or changed: updates that waited for it are applied now, in order. */
  sessionChanged(session: Session): void {
    for (const key of [session.id, session.project]) {
      if (!this.#pending.has(key) || this.#resolve(key)?.id !== session.id) continue;
      for (const { update, source, at } of this.#pending.take(key))
        this.#applyTo(session, update, source, at);
    }
  }

  /** A session's agents, first seen first. */
  agents(sessionId: string): Agent[] {
    return [...(this.#agents.get(sessionId)?.values() ?? [])]
      .map((entry) => entry.agent)
      .sort((a, b) =>
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
        const working = agent.status === 'spawning' || agent.status === 'active' || agent.status === 'idle';
        if (!working || agent.stalled || !isSilent(Date.parse(agent.updatedAt), now, this.#o.stallMs))
          continue;
        // A subagent read from transcripts never says it finished: its silence is its end.
        if (agent.source === 'transcript')
          changed.push(this.#put({ ...agent, status: 'completed', endedAt: agent.updatedAt }));
        else changed.push(this.#put({ ...agent, stalled: true }));
      }
    }
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

  #applyTo(session: Session, update: AgentUpdate, source: string, at: number): AgentApply {
    const previous = this.#agents.get(session.id)?.get(update.agentId)?.agent;
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
    };
    const same =
      previous !== undefined && !previous.stalled && contentHash(content) === contentHash(reported(previous));
    if (same) return { status: 'applied', agent: previous, changed: false };
    const agent = this.#put({
      id: update.agentId,
      sessionId: session.id,
      ...content,
      startedAt: previous?.startedAt ?? atIso,
      updatedAt: atIso,
      endedAt: ended
        ? previous?.endedAt && previous.status === update.status
          ? previous.endedAt
          : atIso
        : null,
      stalled: false,
      source: previous?.source ?? source,
    });
    this.#o.store.saveAgents([agent]);
    this.changes.emit('agent', agent, this.#agents.get(session.id)!.get(agent.id)!.hash);
    return { status: 'applied', agent, changed: true };
  }

  #put(agent: Agent): Agent {
    const agents = this.#agents.get(agent.sessionId) ?? new Map<string, { agent: Agent; hash: string }>();
    agents.set(agent.id, { agent, hash: contentHash(agent) });
    this.#agents.set(agent.sessionId, agents);
    return agent;
  }
}
