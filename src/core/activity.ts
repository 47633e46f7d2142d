/**
 * @module
 * What happens inside a build, from its own files: Context Foundry's event log becomes log
 * lines (ordered by sequence, each once) and agent updates; its log files become log lines;
 * `build-tasks.json` becomes Builder's task list for the phase plan.
 */
import path from 'node:path';
import type { Session } from '../shared/protocol.js';
import { Emitter } from '../shared/emitter.js';
import { Lru } from '../shared/lru.js';
import { agentUpdateOfEvent } from '../collector/event-agents.js';
import { dedupeEvents, orderEvents } from '../collector/events-file.js';
import type { BuildEvent } from '../collector/types.js';
import type { BuildTask } from '../collector/types.js';
import type { SideFileObservation } from '../collector/types.js';
import type { AgentBook } from './agent-book.js';
import type { LogBook } from './log-book.js';
import type { Keyed } from './storage.js';

/** Event sequence numbers remembered per session to drop repeats. */
const SEEN_LIMIT = 5_000;
/** Sessions whose tasks are kept in memory; others are read back from storage when asked. */
const CACHED_TASKS = 256;

export interface BuildActivityOptions {
  /** Builder's tasks per session, kept across restarts. */
  tasks: Keyed<BuildTask[]>;
  logs: LogBook;
  agents: AgentBook;
}

/** What the build's activity tells those who follow it. */
export type BuildActivityEvents = {
  /** Builder's tasks changed: the session's plan should be shown again. */
  tasks: [session: Session];
};

export class BuildActivity {
  readonly changes = new Emitter<BuildActivityEvents>();
  readonly #o: BuildActivityOptions;
  readonly #tasks = new Lru<string, BuildTask[]>(CACHED_TASKS);
  readonly #seen = new Map<string, Set<string>>();

  constructor(options: BuildActivityOptions) {
    this.#o = options;
  }

  /** Builder's parallel tasks of a session, or null when it wrote none. */
  tasks(sessionId: string): BuildTask[] | null {
    const cached = this.#tasks.get(sessionId);
    if (cached) return cached;
    const stored = this.#o.tasks.get(sessionId);
    if (stored) this.#tasks.set(sessionId, stored);
    return stored;
  }

  apply(session: Session, observation: SideFileObservation): void {
    switch (observation.kind) {
      case 'build-tasks': {
        const known = this.tasks(session.id);
        if (known && JSON.stringify(known) === JSON.stringify(observation.tasks)) return;
        this.#tasks.set(session.id, observation.tasks);
        this.#o.tasks.set(session.id, observation.tasks);
        this.changes.emit('tasks', session);
        return;
      }
      case 'events':
        this.#events(session, observation.events, observation.at);
        return;
      case 'log-lines': {
        const source = path.basename(observation.file);
        this.#o.logs.appendMany(
          session.id,
          observation.lines.map((entry) => ({ entry, at: observation.at })),
          source,
        );
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
    this.#o.logs.appendMany(
      session.id,
      fresh.map((event) => ({ entry: event.text, at: event.at ?? at, level: event.level })),
      'events',
    );
    for (const event of fresh) {
      const update = agentUpdateOfEvent(event, session.id);
      // The event's own time (the build's clock), so reading a log again never moves an agent.
      if (update) this.#o.agents.apply(update, 'events', event.at ?? at);
    }
  }
}
