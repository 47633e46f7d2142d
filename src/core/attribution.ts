/**
 * @module
 * Which session a token sample belongs to (SPEC 1.5, 1.6): the build whose work directory holds
 * the request's `cwd` and whose time span holds its timestamp; for telemetry without a `cwd`,
 * the build named by `buildcast.project`, or the build its Claude Code session was already seen
 * in; otherwise a plain Claude Code session of its own, one per Claude session and folder.
 */
import path from 'node:path';
import type { Session } from '../shared/protocol.js';
import { sessionIdFor } from './session-rules.js';
import type { TokenSample } from '../collector/types.js';
import type { SessionRegistry } from './registry.js';
import type { ExternalSession, MetricsStorage, StateStorage } from './storage.js';

/** Requests a little before a build's `started_at` belong to it: the agent starts before it writes. */
export const LEAD_MS = 5 * 60_000;
/** ...and a little after it ends (the final summary, the last push). */
const TRAIL_MS = 60_000;

/** What attribution reads and remembers. */
export interface AttributionStorage {
  metrics: MetricsStorage;
  state: Pick<StateStorage, 'claudeLinks' | 'externalSessions'>;
}

export const isBuild = (s: Session) =>
  s.source === 'live' || s.source === 'push' || s.source === 'checkpoint';

function timeWindow(session: Session): { from: number; to: number } {
  const from = Date.parse(session.startedAt) - LEAD_MS;
  const to = session.endedAt ? Date.parse(session.endedAt) + TRAIL_MS : Number.MAX_SAFE_INTEGER;
  return { from, to };
}

function within(session: Session, at: number): boolean {
  const { from, to } = timeWindow(session);
  return at >= from && at <= to;
}

function isUnder(dir: string, folder: string): boolean {
  return dir === folder || dir.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

export class Attribution {
  readonly #store: AttributionStorage;
  readonly #registry: SessionRegistry;
  /** Claude Code session id → the build its requests were seen in. */
  readonly #links: Map<string, string>;
  /** Plain Claude Code sessions: buildcast session id → its Claude session and folder. */
  readonly #externals: Map<string, ExternalSession>;

  constructor(store: AttributionStorage, registry: SessionRegistry) {
    this.#store = store;
    this.#registry = registry;
    this.#links = store.state.claudeLinks.all();
    this.#externals = store.state.externalSessions.all();
  }

  /** The build a Claude Code session's requests were seen in, once known. */
  buildForClaude(claudeSessionId: string): string | undefined {
    return this.#links.get(claudeSessionId);
  }

  /** The session a sample belongs to; a plain Claude Code session is started when none fits. */
  attribute(sample: TokenSample): string;
  /** With `external` false, null when no build fits (the caller may wait for one to appear). */
  attribute(sample: TokenSample, external: false): string | null;
  attribute(sample: TokenSample, external = true): string | null {
    const build = this.#build(sample);
    if (build) {
      if (sample.claudeSessionId) this.#link(sample.claudeSessionId, build);
      return build;
    }
    return external ? this.#external(sample) : null;
  }

  /** Every sample that belongs to a session, each once. */
  samplesOf(session: Session): TokenSample[] {
    const metrics = this.#store.metrics;
    const byKey = new Map<string, TokenSample>();
    const take = (list: TokenSample[]) => list.forEach((s) => byKey.set(s.key, s));
    if (isBuild(session)) {
      const { from } = timeWindow(session);
      const to = this.#windowEnd(session);
      if (session.workdir) take(metrics.samplesUnder(session.workdir, from, to));
      take(metrics.samplesForProject(session.project, from, to));
      for (const [claude, id] of this.#links) {
        if (id !== session.id) continue;
        take(
          metrics.samplesForClaudeSession(claude).filter((s) => s.cwd === null && s.at >= from && s.at <= to),
        );
      }
    } else {
      const external = this.#externals.get(session.id);
      if (external) {
        take(
          metrics
            .samplesForClaudeSession(external.claudeId)
            .filter((s) => s.cwd === null || external.workdir === null || isUnder(s.cwd, external.workdir)),
        );
      }
    }
    return [...byKey.values()];
  }

  /**
   * Where a run's window ends: at its end, or, for a run that never said it ended (it stalled),
   * where the next run in the same folder begins, so it cannot count that run's requests.
   */
  #windowEnd(session: Session): number {
    const { to } = timeWindow(session);
    if (session.endedAt || !session.workdir) return to;
    let next = to;
    for (const other of this.#registry.runsInWorkdir(session.workdir)) {
      if (other.id === session.id || !isBuild(other)) continue;
      if (other.startedAt > session.startedAt) next = Math.min(next, Date.parse(other.startedAt) - LEAD_MS);
    }
    return next;
  }

  #build(sample: TokenSample): string | undefined {
    if (sample.cwd) {
      for (let dir = sample.cwd; ; dir = path.dirname(dir)) {
        const hit = this.#registry
          .runsInWorkdir(dir)
          .filter((s) => isBuild(s) && within(s, sample.at))
          .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0];
        if (hit) return hit.id;
        if (path.dirname(dir) === dir) break;
      }
    }
    if (sample.project) {
      const hit = this.#registry
        .list({ project: sample.project, limit: 50 })
        .sessions.find((s) => isBuild(s) && within(s, sample.at));
      if (hit) return hit.id;
    }
    // Only telemetry lacks a cwd; a transcript line in a foreign folder is not the build's.
    if (sample.cwd !== null && sample.source === 'transcript') return undefined;
    const linked = sample.claudeSessionId ? this.#links.get(sample.claudeSessionId) : undefined;
    return linked && this.#registry.get(linked) ? linked : undefined;
  }

  #link(claudeSessionId: string, id: string): void {
    if (this.#links.get(claudeSessionId) === id) return;
    this.#links.set(claudeSessionId, id);
    this.#store.state.claudeLinks.set(claudeSessionId, id);
  }

  /** A Claude Code session with no build around it still shows, as a session of its own. */
  #external(sample: TokenSample): string {
    const claudeId = sample.claudeSessionId ?? `project:${sample.project ?? 'unknown'}`;
    for (const [id, known] of this.#externals) {
      if (known.claudeId !== claudeId || !this.#registry.get(id)) continue;
      if (sample.cwd === null || known.workdir === null || isUnder(sample.cwd, known.workdir)) return id;
    }
    const project =
      sample.project ?? (sample.cwd ? path.basename(sample.cwd) || 'claude-code' : 'claude-code');
    const startedAt = new Date(sample.at).toISOString();
    let id = sessionIdFor(project, startedAt);
    for (let n = 2; this.#registry.get(id); n++) id = `${sessionIdFor(project, startedAt)}-${n}`;
    const external: ExternalSession = { claudeId, workdir: sample.cwd };
    this.#externals.set(id, external);
    this.#store.state.externalSessions.set(id, external);
    this.#registry.put({
      id,
      project,
      workdir: sample.cwd,
      state: 'running',
      activity: 'claude-code',
      currentPhase: null,
      phaseNumber: null,
      phaseIndex: null,
      phaseTotal: null,
      phasesCompleted: [],
      progressDetail: null,
      progressPercent: null,
      testIteration: null,
      startedAt,
      updatedAt: startedAt,
      endedAt: null,
      source: sample.source,
      phases: [],
      warnings: [],
      tokensTotal: null,
      costUsd: null,
    });
    return id;
  }
}
