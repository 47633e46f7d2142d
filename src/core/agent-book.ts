/**
 * @module
 * Agents inside builds (SPEC 1.7): their latest state per session, stored so a restart keeps
 * them, announced under the change-only rule, marked stalled once when silent for the stall
 * window, and kept aside when they arrive before their session exists (applied when it
 * appears, never dropped).
 */
import { createHash } from 'node:crypto';
import type { Agent, Session } from '../shared/protocol.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { AgentUpdate } from '../collector/agent-update.js';
import { isBuild } from './attribution.js';
import type { SessionRegistry } from './registry.js';
import type { ActivityStore } from '../store/activity.js';

const MAX_PENDING_KEYS = 200;
const MAX_PENDING_PER_KEY = 500;

export interface AgentBookOptions {
  store: Pick<ActivityStore, 'saveAgents' | 'loadAgents'>;
  registry: SessionRegistry;
  clock: Clock;
  stallMs?: number;
  publish: (agent: Agent, hash: string) => number;
}

export type AgentApply =
  | { status: 'applied'; agent: Agent; changed: boolean; sent: number }
  | { status: 'pending'; waiting: number };

function hashAgent(agent: Agent): string {
  return createHash('sha1').update(JSON.stringify(agent)).digest('base64url');
}

export class AgentBook {
  readonly #o: Required<AgentBookOptions>;
  readonly #agents = new Map<string, Map<string, { agent: Agent; hash: string }>>();
  readonly #pending = new Map<string, Array<{ update: AgentUpdate; source: string; at: number }>>();
  #timer: TimerHandle | null = null;

  constructor(options: AgentBookOptions) {
    this.#o = { stallMs: 600_000, ...options };
    for (const agent of options.store.loadAgents()) this.#put(agent);
  }

  /** Applies an update to its session's agent, or keeps it until the session exists. */
  apply(update: AgentUpdate, source: string): AgentApply {
    const now = this.#o.clock.now();
    const session = this.#resolve(update.sessionKey);
    if (!session) return { status: 'pending', waiting: this.#keep(update, source, now) };
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
      const waiting = this.#pending.get(key);
      if (!waiting || this.#resolve(key)?.id !== session.id) continue;
      this.#pending.delete(key);
      for (const { update, source, at } of waiting) this.#applyTo(session, update, source, at);
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

  /** How many updates wait for a session that does not exist yet. */
  get pendingCount(): number {
    let count = 0;
    for (const list of this.#pending.values()) count += list.length;
    return count;
  }

  startStallWatch(intervalMs = Math.max(250, Math.min(5_000, this.#o.stallMs / 4))): void {
    this.stopStallWatch();
    this.#timer = this.#o.clock.setInterval(() => this.checkStalls(), intervalMs);
  }

  stopStallWatch(): void {
    if (this.#timer) this.#o.clock.clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Marks agents silent for the stall window as stalled, once each. */
  checkStalls(): void {
    const now = this.#o.clock.now();
    const changed: Agent[] = [];
    for (const agents of this.#agents.values()) {
      for (const { agent } of agents.values()) {
        const working = agent.status === 'spawning' || agent.status === 'active' || agent.status === 'idle';
        if (!working || agent.stalled || now - Date.parse(agent.updatedAt) < this.#o.stallMs) continue;
        // A subagent read from transcripts never says it finished: its silence is its end.
        if (agent.source === 'transcript')
          changed.push(this.#put({ ...agent, status: 'completed', endedAt: agent.updatedAt }));
        else changed.push(this.#put({ ...agent, stalled: true }));
      }
    }
    this.#o.store.saveAgents(changed);
    for (const agent of changed)
      this.#o.publish(agent, this.#agents.get(agent.sessionId)!.get(agent.id)!.hash);
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

  #keep(update: AgentUpdate, source: string, at: number): number {
    const list = this.#pending.get(update.sessionKey) ?? [];
    list.push({ update, source, at });
    if (list.length > MAX_PENDING_PER_KEY) list.shift();
    this.#pending.set(update.sessionKey, list);
    if (this.#pending.size > MAX_PENDING_KEYS) {
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
    return list.length;
  }

  #applyTo(session: Session, update: AgentUpdate, source: string, at: number): AgentApply {
    const previous = this.#agents.get(session.id)?.get(update.agentId)?.agent;
    const atIso = new Date(at).toISOString();
    const ended = update.status === 'completed' || update.status === 'failed';
    const content = {
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
      previous !== undefined &&
      !previous.stalled &&
      JSON.stringify(content) ===
        JSON.stringify({
          type: previous.type,
          name: previous.name,
          status: previous.status,
          reportedStatus: previous.reportedStatus,
          phase: previous.phase,
          progressPercent: previous.progressPercent,
          tokensUsed: previous.tokensUsed,
          error: previous.error,
        });
    if (same) return { status: 'applied', agent: previous, changed: false, sent: 0 };
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
    const sent = this.#o.publish(agent, this.#agents.get(session.id)!.get(agent.id)!.hash);
    return { status: 'applied', agent, changed: true, sent };
  }

  #put(agent: Agent): Agent {
    const agents = this.#agents.get(agent.sessionId) ?? new Map<string, { agent: Agent; hash: string }>();
    agents.set(agent.id, { agent, hash: hashAgent(agent) });
    this.#agents.set(agent.sessionId, agents);
    return agent;
  }
}
