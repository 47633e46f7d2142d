/**
 * @module
 * The store's activity tables: agents inside builds and each session's bounded log tail.
 * Part of the store: only the store modules speak SQL.
 */
import type Database from 'better-sqlite3';
import type { ActivityStorage } from '../core/storage.js';
import type { Agent, LogLevel, LogLine } from '../shared/protocol.js';

const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

export function createActivityStore(db: Database.Database): ActivityStorage {
  const upsertAgent = db.prepare<{ session_id: string; agent_id: string; data: string }>(
    `INSERT INTO agents (session_id, agent_id, data) VALUES (@session_id, @agent_id, @data)
     ON CONFLICT (session_id, agent_id) DO UPDATE SET data = excluded.data`,
  );
  const selectAgents = db.prepare<[], { data: string }>(
    'SELECT data FROM agents ORDER BY session_id, agent_id',
  );
  const insertLine = db.prepare<{
    session_id: string;
    seq: number;
    at: string;
    level: string;
    text: string;
    source: string;
  }>(
    `INSERT OR IGNORE INTO log_lines (session_id, seq, at, level, text, source)
     VALUES (@session_id, @seq, @at, @level, @text, @source)`,
  );
  const prune = db.prepare<{ session_id: string; below: number }>(
    'DELETE FROM log_lines WHERE session_id = @session_id AND seq < @below',
  );
  const selectLines = db.prepare<
    { session_id: string; limit: number },
    { seq: number; at: string; level: string; text: string; source: string }
  >(
    `SELECT seq, at, level, text, source FROM
       (SELECT * FROM log_lines WHERE session_id = @session_id ORDER BY seq DESC LIMIT @limit)
     ORDER BY seq`,
  );
  const maxSeq = db
    .prepare<{ session_id: string }, number | null>(
      'SELECT max(seq) FROM log_lines WHERE session_id = @session_id',
    )
    .pluck();
  const saveAll = db.transaction((agents: readonly Agent[]) => {
    for (const agent of agents)
      upsertAgent.run({ session_id: agent.sessionId, agent_id: agent.id, data: JSON.stringify(agent) });
  });
  const appendAll = db.transaction((sessionId: string, lines: readonly LogLine[], keep: number) => {
    for (const line of lines) insertLine.run({ session_id: sessionId, ...line });
    const last = lines.at(-1);
    if (last) prune.run({ session_id: sessionId, below: last.seq - keep + 1 });
  });

  return {
    saveAgents: (agents) => {
      if (agents.length > 0) saveAll(agents);
    },
    loadAgents: () => {
      const agents: Agent[] = [];
      for (const row of selectAgents.all()) {
        try {
          agents.push(JSON.parse(row.data) as Agent);
        } catch {
          // A damaged row loses that one agent, never the others.
        }
      }
      return agents;
    },
    appendLogs: (sessionId, lines, keep) => {
      if (lines.length > 0) appendAll(sessionId, lines, keep);
    },
    loadLogs: (sessionId, limit) =>
      selectLines.all({ session_id: sessionId, limit }).map((row) => ({
        seq: row.seq,
        at: row.at,
        level: (LEVELS.has(row.level) ? row.level : 'info') as LogLevel,
        text: row.text,
        source: row.source,
      })),
    lastLogSeq: (sessionId) => maxSeq.get({ session_id: sessionId }) ?? 0,
  };
}
