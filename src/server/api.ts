/**
 * @module
 * The JSON API (SPEC 4): reading sessions, health, and the ingest routes that builds push to.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Session } from '../shared/protocol.js';
import type { Clock } from '../shared/clock.js';
import { parseAgentUpdate } from '../collector/agent-update.js';
import { parsePhaseObject } from '../collector/phase-file.js';
import type { AgentBook } from '../core/agent-book.js';
import { readBodyText, readJsonBody } from './body.js';
import { ApiError } from './errors.js';
import type { Hub } from '../live/hub.js';
import type { LogBook } from '../core/log-book.js';
import type { MetricsService } from '../core/metrics-service.js';
import type { SessionRegistry } from '../core/registry.js';
import type { ForecastResult } from '../core/forecast.js';
import type { SessionQuery } from '../core/session-query.js';
import { parseSessionQuery } from './session-params.js';

export interface ApiDeps {
  registry: SessionRegistry;
  hub: Hub;
  logs: LogBook;
  clock: Clock;
  metrics: MetricsService;
  agents: AgentBook;
  /** The phase plan of a session (every phase, with blocked and skipped ones). */
  plan: (session: Session) => unknown;
  /** Largest request body in bytes (413 beyond it). */
  maxBodyBytes?: number;
  /** Extra facts for `/api/health` (version, roots, db, problems...). */
  health: () => Record<string, unknown>;
  /**
   * Resolves once every change made so far is committed to storage (SPEC 2: a 200 to any ingest
   * means it is committed); rejects when storage cannot take it.
   */
  committed: () => Promise<void>;
  /** A running session's expected finish, or why there is none (SPEC 4 `forecast`). */
  forecast?: (session: Session) => ForecastResult;
}

/** Waits for the commit of what a request changed; a write that fails is not acknowledged. */
async function durably(committed: () => Promise<void>): Promise<void> {
  try {
    await committed();
  } catch (error) {
    throw new ApiError(503, 'storage_unavailable', `not saved, send it again: ${(error as Error).message}`);
  }
}

/** What an ingest left out, for its reply: a `warnings` list only when there is something to say. */
const withWarnings = (warnings: readonly string[] | undefined): { warnings?: readonly string[] } =>
  warnings !== undefined && warnings.length > 0 ? { warnings } : {};

/** A session by id, or the latest run of a project when given a project name. */
function findSession(registry: SessionRegistry, idOrProject: string): Session {
  const session = registry.get(idOrProject) ?? registry.latestOfProject(idOrProject);
  if (!session) throw new ApiError(404, 'not_found', `no session "${idOrProject}"`);
  return session;
}

function parseQuery(c: Context): SessionQuery {
  const parsed = parseSessionQuery((name) => c.req.query(name) || undefined);
  if (!parsed.ok) throw new ApiError(400, 'bad_query', parsed.problem);
  return parsed.query;
}

/** Builds the `/api` routes. */
export function createApiRoutes({
  registry,
  hub,
  logs,
  clock,
  metrics,
  agents,
  plan,
  health,
  committed,
  forecast = () => ({ forecast: null, forecastReason: 'no history is kept' }),
  maxBodyBytes = 256 * 1024,
}: ApiDeps): Hono {
  const api = new Hono();

  api.get('/health', (c) =>
    c.json({
      status: 'ok',
      serverTime: new Date(clock.now()).toISOString(),
      sessions: registry.size,
      counts: registry.counts(),
      clients: hub.size,
      framesSent: hub.framesSent,
      ...health(),
    }),
  );

  api.get('/sessions', (c) => {
    const page = registry.list(parseQuery(c));
    const { sessions, total, nextCursor, totals } = page;
    return c.json({ sessions, total, nextCursor, totals });
  });

  api.get('/sessions/:id', (c) => {
    const session = findSession(registry, c.req.param('id'));
    return c.json({
      session,
      phases: session.phases,
      warnings: session.warnings,
      raw: registry.raw(session.id),
      plan: plan(session),
      agents: agents.agents(session.id),
      logs: logs.tail(session.id),
      ...forecast(session),
    });
  });

  api.get('/sessions/:id/metrics', (c) => {
    const session = findSession(registry, c.req.param('id'));
    return c.json(metrics.metrics(session.id));
  });

  // SPEC 1.2: Context Foundry's own curl line posts the phase file as is.
  api.post('/phase-update', async (c) => {
    const { text, value } = await readJsonBody(c, maxBodyBytes);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ApiError(400, 'bad_fields', 'body must be a JSON object shaped like current-phase.json');
    }
    const parsed = parsePhaseObject(value as Record<string, unknown>).result;
    if (!parsed.ok) throw new ApiError(400, 'bad_fields', parsed.problem.message);
    const now = clock.now();
    const record = parsed.value;
    const workdir = typeof record.extra['workdir'] === 'string' ? (record.extra['workdir'] as string) : null;
    const result = registry.apply({
      source: 'push',
      record,
      raw: text,
      workdir,
      file: null,
      observedAt: now,
      dataTime: now,
    });
    await durably(committed);
    const session = result.session;
    // The change went out synchronously: the hub says how many clients its frame reached.
    const broadcastedTo = result.status === 'changed' ? hub.lastSent(result.session.id) : 0;
    return c.json({
      status: 'received',
      session_id: record.project ?? session?.project ?? null,
      phase: record.currentPhase,
      broadcasted_to: broadcastedTo,
      id: session?.id ?? null,
      state: session?.state ?? null,
      changed: result.status === 'changed',
      ...withWarnings(record.warnings),
    });
  });

  api.get('/sessions/:id/logs', (c) => {
    const session = findSession(registry, c.req.param('id'));
    const limit = Number(c.req.query('limit') ?? 200);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      throw new ApiError(400, 'bad_query', 'limit must be a whole number from 1 to 1000');
    }
    return c.json({ lines: logs.tail(session.id, limit) });
  });

  // SPEC 1.7: per-agent status. An update for a session not seen yet is kept until it appears.
  api.post('/agent-update', async (c) => {
    const { value } = await readJsonBody(c, maxBodyBytes);
    const parsed = parseAgentUpdate(value);
    if (!parsed.ok) throw new ApiError(400, 'bad_fields', parsed.problem.message);
    const result = agents.apply(parsed.value, 'push');
    if (result.status === 'pending') {
      return c.json(
        {
          status: 'pending',
          session_id: parsed.value.sessionKey,
          agent_id: parsed.value.agentId,
          waiting: result.waiting,
          broadcasted_to: 0,
          ...withWarnings(parsed.value.warnings),
        },
        202,
      );
    }
    return c.json({
      status: 'received',
      session_id: result.agent.sessionId,
      agent_id: result.agent.id,
      agent_status: result.agent.status,
      changed: result.changed,
      broadcasted_to: result.changed ? hub.audience(result.agent.sessionId) : 0,
      ...withWarnings(parsed.value.warnings),
    });
  });

  // SPEC 1.2: a free-form event or log line for one session.
  api.post('/broadcast/:id', async (c) => {
    const session = findSession(registry, c.req.param('id'));
    const type = c.req.header('content-type') ?? '';
    let entry: { level?: unknown; text?: unknown; message?: unknown; type?: unknown } | string;
    if (type.includes('json')) {
      const { value } = await readJsonBody(c, maxBodyBytes);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ApiError(
          400,
          'bad_fields',
          'body must be a JSON object such as {"text":"...","level":"info"}',
        );
      }
      entry = value as typeof entry;
    } else {
      entry = await readBodyText(c, maxBodyBytes);
      if (entry.trim() === '')
        throw new ApiError(400, 'bad_fields', 'body is empty: send a log line or a JSON event');
    }
    const line = logs.append(session.id, entry, clock.now());
    return c.json({
      status: 'received',
      session_id: session.id,
      sequence: line.seq,
      broadcasted_to: hub.audience(session.id),
    });
  });

  return api;
}
