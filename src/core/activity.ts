/**
 * @module
 * What happens inside a build, from its own files: Context Foundry's event log becomes log
 * lines (ordered by sequence, each once) and agent updates; its log files become log lines;
 * `build-tasks.json` becomes Builder's task list for the phase plan.
 */
import path from 'node:path';
import type { Session } from '../shared/protocol.js';
import { parseAgentUpdate } from '../collector/agent-update.js';
import { dedupeEvents, orderEvents, type BuildEvent } from '../collector/events-file.js';
import type { BuildTask } from '../collector/side-files.js';
import type { SideFileObservation } from '../collector/types.js';
import type { AgentBook } from './agent-book.js';
import type { Hub } from '../live/hub.js';
import type { LogBook } from './log-book.js';
import type { Store } from '../store/store.js';

const TASKS_PREFIX = 'tasks:';
/** Event sequence numbers remembered per session to drop repeats. */
const SEEN_LIMIT = 5_000;

export interface BuildActivityOptions {
  store: Pick<Store, 'getMeta' | 'setMeta'>;
  logs: LogBook;
  agents: AgentBook;
  hub: Hub;
  /** Builder's tasks changed: the session's plan should be shown again. */
  onTasks?: (session: Session) => void;
}

/** The agent an event speaks of, if any: `data.agent_id` (or camelCase). */
function agentOf(event: BuildEvent, session: Session) {
  const data = event.data;
  const agentId = data['agent_id'] ?? data['agentId'];
  if (typeof agentId !== 'string' && typeof agentId !== 'number') return null;
  const status =
    data['status'] ?? data['agent_status'] ?? (event.type === 'task_complete' ? 'completed' : 'active');
  const parsed = parseAgentUpdate({
    ...data,
    session_id: session.id,
    agent_id: String(agentId),
    status,
    agent_name: data['agent_name'] ?? data['agentName'] ?? data['task_name'] ?? data['task'] ?? null,
    error_message: data['error_message'] ?? data['error'] ?? null,
  });
  return parsed.ok ? parsed.value : null;
}

export class BuildActivity {
  readonly #o: BuildActivityOptions;
  readonly #tasks = new Map<string, BuildTask[]>();
  readonly #seen = new Map<string, Set<string>>();

  constructor(options: BuildActivityOptions) {
    this.#o = options;
  }

  /** Builder's parallel tasks of a session, or null when it wrote none. */
  tasks(sessionId: string): BuildTask[] | null {
    const cached = this.#tasks.get(sessionId);
    if (cached) return cached;
    const stored = this.#o.store.getMeta(TASKS_PREFIX + sessionId);
    if (!stored) return null;
    try {
      const tasks = JSON.parse(stored) as BuildTask[];
      this.#tasks.set(sessionId, tasks);
      return tasks;
    } catch {
      return null;
    }
  }

  apply(session: Session, observation: SideFileObservation): void {
    switch (observation.kind) {
      case 'build-tasks': {
        const text = JSON.stringify(observation.tasks);
        if (this.#o.store.getMeta(TASKS_PREFIX + session.id) === text) return;
        this.#tasks.set(session.id, observation.tasks);
        this.#o.store.setMeta(TASKS_PREFIX + session.id, text);
        this.#o.onTasks?.(session);
        return;
      }
      case 'events':
        this.#events(session, observation.events, observation.at);
        return;
      case 'log-lines': {
        const source = path.basename(observation.file);
        const lines = this.#o.logs.appendMany(
          session.id,
          observation.lines.map((entry) => ({ entry, at: observation.at })),
          source,
        );
        this.#o.hub.broadcastLog(session.id, lines);
        return;
      }
      default:
        return;
    }
  }

  #events(session: Session, events: BuildEvent[], at: number): void {
    const seen = this.#seen.get(session.id) ?? new Set<string>();
    this.#seen.set(session.id, seen);
    const fresh = orderEvents(dedupeEvents(events)).filter((event) => {
      if (event.sequence === null) return true;
      const key = `${event.sessionId ?? ''}\u0000${event.sequence}`;
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
      return true;
    });
    if (fresh.length === 0) return;
    const lines = this.#o.logs.appendMany(
      session.id,
      fresh.map((event) => ({ entry: event.text, at: event.at ?? at, level: event.level })),
      'events',
    );
    this.#o.hub.broadcastLog(session.id, lines);
    for (const event of fresh) {
      const update = agentOf(event, session);
      if (update) this.#o.agents.apply(update, 'events');
    }
  }
}
