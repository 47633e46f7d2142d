/**
 * The JSON Schemas that ship in `schema/` (SPEC 3) hold for what buildcast really reads and
 * really sends: every phase file the parser accepts validates against the phase-file schema,
 * and every frame a real server sends over a real socket validates against the protocol schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePhaseFile, parsePhaseFileDetailed } from '../../src/collector/phase-file.js';
import type { BuildTask } from '../../src/collector/types.js';
import type { Agent, ServerMessage, SessionMessage } from '../../src/shared/protocol.js';
import { buildPlan } from '../../src/core/plan.js';
import type { ServerHandle } from '../../src/server/main.js';
import { validate, type JsonSchema } from '../helpers/json-schema.js';
import { makeSession } from '../render/fixtures.js';
import { makeMetrics } from '../render/metrics-fixtures.js';
import {
  eventually,
  FrameClient,
  phase,
  removeDir,
  startTestServer,
  tempDir,
  writePhaseFile,
} from '../helpers/server.js';

type SchemaObject = { readonly [keyword: string]: unknown };

const readSchema = (name: string): SchemaObject =>
  JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as SchemaObject;

const phaseFileSchema = readSchema('phase-file.schema.json');
const protocolSchema = readSchema('protocol.schema.json');

/** A definition of the protocol schema, validated with `$ref`s resolved against the whole file. */
const def = (name: string): SchemaObject => (protocolSchema.$defs as Record<string, SchemaObject>)[name]!;
const frameErrors = (frame: unknown): string[] => validate(protocolSchema, frame);
const defErrors = (name: string, value: unknown): string[] => validate(def(name), value, protocolSchema);

const FIXTURES = new URL('../fixtures/phase-files/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, FIXTURES), 'utf8') }));
const accepted = fixtures.filter((fixture) => parsePhaseFile(fixture.text).ok);

/** The same JSON a file holds, as `JSON.parse` sees it (a UTF-8 BOM is not JSON). */
const json = (text: string): unknown => JSON.parse(text.replace(/^\uFEFF/, ''));

const SPEC_EXAMPLE = `{"session_id":"weather-app","current_phase":"Test","phase_number":"4/7","status":"testing",
 "progress_detail":"Running unit tests (iteration 2)","test_iteration":2,
 "phases_completed":["Scout","Architect","Builder"],
 "started_at":"2026-11-20T14:02:11Z","last_updated":"2026-11-20T14:19:40Z"}`;

describe('the JSON Schema validator used by these tests', () => {
  const schema: JsonSchema = {
    $defs: { level: { enum: ['info', 'error'] } },
    type: 'object',
    additionalProperties: false,
    required: ['count', 'level'],
    properties: {
      count: { type: 'integer', minimum: 0 },
      level: { $ref: '#/$defs/level' },
      note: { type: ['string', 'null'] },
      tags: { type: 'array', items: { type: 'string' } },
      shape: { oneOf: [{ const: 'a' }, { type: 'string' }] },
    },
  };

  it('accepts what the schema allows and names the field at fault otherwise', () => {
    expect(validate(schema, { count: 2, level: 'info', note: null, tags: ['x'] })).toEqual([]);
    expect(validate(schema, { count: 2.5, level: 'info' })).toEqual(['/count: expected integer, got 2.5']);
    expect(validate(schema, { count: -1, level: 'info' })).toEqual(['/count: -1 is below 0']);
    expect(validate(schema, { level: 'warn', tags: [3] })).toEqual([
      '/: missing "count"',
      '/level: "warn" is not one of ["info","error"]',
      '/tags/0: expected string, got 3',
    ]);
    expect(validate(schema, { count: 1, level: 'info', extra: true })).toEqual([
      '/: unexpected property "extra"',
    ]);
    expect(validate(schema, [])).toEqual(['/: expected object, got []']);
  });

  it('requires exactly one oneOf branch and refuses keywords it does not check', () => {
    expect(validate(schema, { count: 0, level: 'error', shape: 'b' })).toEqual([]);
    expect(validate(schema, { count: 0, level: 'error', shape: 'a' })).toEqual([
      '/shape: matches 2 of 2 alternatives, expected exactly one',
    ]);
    expect(() => validate({ type: 'string', pattern: '^a' }, 'a')).toThrow(
      'unsupported JSON Schema keyword "pattern"',
    );
    expect(() => validate({ $ref: 'other.json#/x' }, 1)).toThrow('unsupported $ref');
  });
});

describe('schema/phase-file.schema.json', () => {
  it('accepts the canonical phase file of SPEC 1.1 and its own examples', () => {
    expect(validate(phaseFileSchema, JSON.parse(SPEC_EXAMPLE))).toEqual([]);
    const examples = phaseFileSchema.examples as unknown[];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validate(phaseFileSchema, example)).toEqual([]);
  });

  it('covers the drift fixtures: camelCase, wrappers, numbers, status spellings, extra fields', () => {
    const names = accepted.map((fixture) => fixture.name);
    for (const name of [
      'canonical.json',
      'camel-case.json',
      'mixed-case.json',
      'phase-info-wrapper.json',
      'phase-info-camel-wrapper.json',
      'phase-number-integer.json',
      'status-spaces.json',
      'extra-fields.json',
      'aliases.json',
      'timestamp-forms.json',
    ]) {
      expect(names).toContain(name);
    }
  });

  it.each(accepted.map((fixture) => [fixture.name, fixture.text] as const))(
    'validates %s, which the parser reads',
    (_name, text) => {
      expect(validate(phaseFileSchema, json(text))).toEqual([]);
    },
  );

  it('rejects the JSON documents the parser refuses: arrays, numbers, objects with no phase or status', () => {
    const refused = fixtures.filter((fixture) => {
      if (parsePhaseFile(fixture.text).ok) return false;
      try {
        json(fixture.text);
        return true;
      } catch {
        return false;
      }
    });
    expect(refused.map((fixture) => fixture.name)).toEqual([
      'array.json',
      'empty-object.json',
      'hook-payload.json',
      'no-fields.json',
      'number.json',
    ]);
    for (const fixture of refused) expect(validate(phaseFileSchema, json(fixture.text))).not.toEqual([]);
  });

  it('checks the record inside a PhaseInfo wrapper rather than waving it through', () => {
    const wrapped = { PhaseInfo: { current_phase: 'Test', phases_completed: 4 } };
    expect(validate(phaseFileSchema, wrapped).join('\n')).toContain('/PhaseInfo/phases_completed');
  });

  it('rejects values the parser can only skip with a warning', () => {
    for (const body of [
      { current_phase: 'Test', test_iteration: true },
      { current_phase: 'Test', status: 3 },
      { current_phase: 'Test', phases_completed: { Scout: true } },
      { current_phase: 'Test', completion_percentage: 140 },
    ]) {
      const parsed = parsePhaseFileDetailed(JSON.stringify(body));
      expect(parsed.result.ok).toBe(true);
      expect(parsed.fieldWarnings).toHaveLength(1);
      expect(validate(phaseFileSchema, body)).not.toEqual([]);
    }
  });
});

describe('schema/protocol.schema.json against a real server', () => {
  let root: string;
  let server: ServerHandle | null = null;
  const clients: FrameClient[] = [];

  beforeEach(() => {
    root = tempDir();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = null;
    removeDir(root);
  });

  const post = (route: string, body: string, type: string) =>
    fetch(`${server!.url}${route}`, { method: 'POST', headers: { 'content-type': type }, body });

  /** A push, a log line, a ping and a bad message: every frame type the server sends today. */
  async function receiveEveryFrameType(): Promise<FrameClient> {
    server = await startTestServer({ db: path.join(root, 'buildcast.db'), heartbeatMs: 100 });
    const client = await FrameClient.connect(`${server.url.replace('http', 'ws')}/ws`);
    clients.push(client);

    const pushed = await post(
      '/api/phase-update',
      JSON.stringify(
        phase({
          current_phase: 'Architect',
          phase_number: '2/7',
          status: 'designing',
          phases_completed: ['Scout'],
        }),
      ),
      'application/json',
    );
    expect(pushed.status).toBe(200);
    const { session } = await client.waitFor((f): f is SessionMessage => f.type === 'session');
    const logged = await post(`/api/broadcast/${session.id}`, 'Running unit tests\n', 'text/plain');
    expect(logged.status).toBe(200);
    await client.waitFor((f) => f.type === 'log');
    client.socket.send(JSON.stringify({ type: 'ping' }));
    await client.waitFor((f) => f.type === 'pong');
    client.socket.send('not a frame');
    await client.waitFor((f) => f.type === 'error');
    await client.waitFor((f) => f.type === 'heartbeat');
    return client;
  }

  it('validates hello, snapshot, session, log, pong, error and heartbeat frames', async () => {
    const client = await receiveEveryFrameType();
    const types = new Set(client.frames.map((frame) => frame.type));
    expect([...types].sort()).toEqual(['error', 'heartbeat', 'hello', 'log', 'pong', 'session', 'snapshot']);
    for (const frame of client.frames)
      expect({ type: frame.type, errors: frameErrors(frame) }).toEqual({ type: frame.type, errors: [] });
    // hello tells the client how often to expect a heartbeat: the server's `--heartbeat`.
    expect(client.frames[0]).toMatchObject({ type: 'hello', heartbeatMs: 100 });
    for (const example of def('HelloMessage').examples as unknown[])
      expect(defErrors('HelloMessage', example)).toEqual([]);
    // A snapshot with a session in it, from a second connection after the push.
    const late = await FrameClient.connect(`${server!.url.replace('http', 'ws')}/ws`);
    clients.push(late);
    const snapshot = late.of('snapshot')[0]!;
    expect(snapshot.sessions).toHaveLength(1);
    expect(frameErrors(snapshot)).toEqual([]);
  });

  it('lists every field of a real Session, PhaseSpan and LogLine as required, no more, no less', async () => {
    const client = await receiveEveryFrameType();
    const session = client.of('session')[0]!.session;
    const keys = (value: object) => Object.keys(value).sort();
    const required = (name: string) => [...(def(name).required as string[])].sort();
    const declared = (name: string) => Object.keys(def(name).properties as object).sort();

    expect(required('Session')).toEqual(keys(session));
    expect(declared('Session')).toEqual(keys(session));
    expect(session.phases.length).toBeGreaterThan(0);
    for (const span of session.phases) expect(required('PhaseSpan')).toEqual(keys(span));
    const line = client.of('log')[0]!.lines[0]!;
    expect(line).toMatchObject({ text: 'Running unit tests', level: 'info', source: 'push' });
    expect(required('LogLine')).toEqual(keys(line));
  });

  it('validates a session frame carrying a warning about a broken phase file', async () => {
    const workdir = path.join(root, 'builds', 'weather');
    writePhaseFile(workdir, phase());
    server = await startTestServer({
      roots: [path.join(root, 'builds')],
      db: path.join(root, 'buildcast.db'),
    });
    await eventually(() => server!.registry.size === 1);
    const client = await FrameClient.connect(
      `${server.url.replace('http', 'ws')}/ws/weather-app-20261120T140211Z`,
    );
    clients.push(client);
    expect(client.of('snapshot')[0]!.sessions).toHaveLength(1);

    writePhaseFile(workdir, '{"session_id":"weather-app","current_phase":"Te');
    const frame = await client.waitFor(
      (f): f is SessionMessage => f.type === 'session' && f.session.warnings.length > 0,
    );
    const warning = frame.session.warnings[0]!;
    expect(warning.file).toContain('current-phase.json');
    expect(frameErrors(frame)).toEqual([]);
    expect([...(def('SourceWarning').required as string[])].sort()).toEqual(Object.keys(warning).sort());
    expect(frameErrors(client.frames[0])).toEqual([]);
    expect(client.frames[0]).toMatchObject({ type: 'hello', sessionId: 'weather-app-20261120T140211Z' });
  });

  it('rejects frames that are missing a field, use an unknown enum value, or are not in the protocol', async () => {
    const client = await receiveEveryFrameType();
    const real = client.of('session')[0]!;
    const withSession = (change: (session: Record<string, unknown>) => void): ServerMessage => {
      const copy = structuredClone(real) as unknown as { type: 'session'; session: Record<string, unknown> };
      change(copy.session);
      return copy as unknown as ServerMessage;
    };
    expect(frameErrors(real)).toEqual([]);

    expect(frameErrors(withSession((s) => delete s.source))).toContain('/session: missing "source"');
    expect(frameErrors(withSession((s) => (s.state = 'paused')))).toContain(
      '/session/state: "paused" is not one of ["running","completed","failed","stalled"]',
    );
    expect(frameErrors(withSession((s) => (s.phaseIndex = '4')))).toContain(
      '/session/phaseIndex: expected number or null, got "4"',
    );
    expect(frameErrors(withSession((s) => (s.elapsedSeconds = 12)))).toContain(
      '/session: unexpected property "elapsedSeconds"',
    );
    const log = structuredClone(client.of('log')[0]!);
    (log.lines[0] as { level: string }).level = 'verbose';
    expect(frameErrors(log).join('\n')).toContain('/lines/0/level');
    expect(
      frameErrors({ type: 'hello', protocol: 2, serverTime: '2026-11-20T14:19:41Z', sessionId: null }),
    ).toContain('/protocol: expected 1, got 2');
    const hello = { type: 'hello', protocol: 1, serverTime: '2026-11-20T14:19:41Z', sessionId: null };
    expect(frameErrors(hello)).toContain('/: missing "heartbeatMs"');
    expect(frameErrors({ ...hello, heartbeatMs: 2.5 })).toContain('/heartbeatMs: expected integer, got 2.5');
    expect(frameErrors({ ...hello, heartbeatMs: 0 })).toContain('/heartbeatMs: 0 is below 1');
    expect(frameErrors({ type: 'metrics', sessionId: 'x' })).not.toEqual([]);
    expect(frameErrors({ type: 'heartbeat' })).toContain('/: missing "serverTime"');
  });

  it('describes what a client may send: a ping and nothing else', () => {
    expect(defErrors('ClientMessage', { type: 'ping' })).toEqual([]);
    expect(defErrors('ClientMessage', { type: 'pong' })).not.toEqual([]);
    expect(defErrors('ClientMessage', { type: 'ping', extra: 1 })).not.toEqual([]);
    expect(defErrors('ClientMessage', {})).not.toEqual([]);
  });
});

describe('schema/protocol.schema.json for metrics and backfill frames', () => {
  // The real server may not send these yet; a hand-built, realistic SessionMetrics stands in.
  const metrics = makeMetrics();
  const keys = (value: object) => Object.keys(value).sort();
  const required = (schema: SchemaObject) => [...(schema.required as string[])].sort();
  const declared = (schema: SchemaObject) => Object.keys(schema.properties as object).sort();
  const property = (schema: SchemaObject, name: string) =>
    (schema.properties as Record<string, SchemaObject>)[name]!;

  it('validates a realistic SessionMetrics and the metrics frame that carries it', () => {
    expect(defErrors('SessionMetrics', metrics)).toEqual([]);
    expect(frameErrors({ type: 'metrics', metrics })).toEqual([]);
    const empty = {
      ...metrics,
      tokens: { ...metrics.tokens, byPhase: [], byModel: [], series: [] },
      context: { usedTokens: null, limit: null, percent: null, level: null, model: null },
      tests: { iterations: [], current: null, stuck: [] },
    };
    expect(frameErrors({ type: 'metrics', metrics: empty })).toEqual([]);
  });

  it('lists every field of SessionMetrics and its parts as required, no more, no less', () => {
    const metricsDef = def('SessionMetrics');
    const pairs: [SchemaObject, object][] = [
      [metricsDef, metrics],
      [property(metricsDef, 'tokens'), metrics.tokens],
      [property(metricsDef, 'context'), metrics.context],
      [property(metricsDef, 'tests'), metrics.tests],
      [def('TokenCounts'), metrics.tokens.subagent],
      [def('PhaseTokens'), metrics.tokens.byPhase[0]!],
      [def('ModelTokens'), metrics.tokens.byModel[0]!],
      [def('TokenPoint'), metrics.tokens.series[0]!],
      [def('TestIteration'), metrics.tests.iterations[0]!],
    ];
    for (const [schema, value] of pairs) {
      expect(required(schema)).toEqual(keys(value));
      expect(declared(schema)).toEqual(keys(value));
    }
  });

  it('validates backfill frames while the history is read and once it is done', () => {
    const progress = {
      filesDone: 120,
      filesTotal: 800,
      bytesDone: 1_288_490_188,
      bytesTotal: 3_650_722_201,
      done: false,
    };
    expect(frameErrors({ type: 'backfill', progress })).toEqual([]);
    expect(frameErrors({ type: 'backfill', progress: { ...progress, filesDone: 800, done: true } })).toEqual(
      [],
    );
    expect(required(def('BackfillProgress'))).toEqual(keys(progress));
    const { done: _done, ...unfinished } = progress;
    expect(frameErrors({ type: 'backfill', progress: unfinished }).join('\n')).toContain('missing "done"');
  });

  it('rejects guessed prices, unknown levels, negative or fractional counts and stray fields', () => {
    const changed = (change: (copy: ReturnType<typeof makeMetrics>) => void) => {
      const copy = structuredClone(metrics);
      change(copy);
      return frameErrors({ type: 'metrics', metrics: copy }).join('\n');
    };
    expect(changed((m) => ((m.tokens as { costUsd: unknown }).costUsd = '~$2'))).toContain(
      '/metrics/tokens/costUsd',
    );
    expect(changed((m) => ((m.context as { level: unknown }).level = 'danger'))).toContain(
      '/metrics/context/level',
    );
    expect(changed((m) => (m.tokens.series[0]!.output = -5))).toContain('/metrics/tokens/series/0/output');
    expect(changed((m) => (m.tokens.input = 12.5))).toContain('/metrics/tokens/input');
    expect(changed((m) => ((m.tokens.byModel[1] as { priced: unknown }).priced = 'no'))).toContain(
      '/metrics/tokens/byModel/1/priced',
    );
    expect(changed((m) => ((m.tests as Record<string, unknown>).estimate = 3))).toContain(
      'unexpected property "estimate"',
    );
  });

  it('accepts sessions known only from transcripts or OpenTelemetry, and no other source', () => {
    expect(defErrors('Session', makeSession({ source: 'transcript' }))).toEqual([]);
    expect(defErrors('Session', makeSession({ source: 'otel' }))).toEqual([]);
    expect(defErrors('Session', { ...makeSession(), source: 'guess' }).join('\n')).toContain('/source');
  });
});

describe('schema/protocol.schema.json for agent and plan frames', () => {
  const keys = (value: object) => Object.keys(value).sort();
  const required = (name: string) => [...(def(name).required as string[])].sort();
  const declared = (name: string) => Object.keys(def(name).properties as object).sort();

  /** A builder agent as `/api/agent-update` reports it, half-way through its task. */
  const agent: Agent = {
    id: 'builder-2',
    sessionId: 'weather-app-20261120T140211Z',
    type: 'builder',
    name: 'Builder 2 (API client)',
    status: 'active',
    reportedStatus: null,
    phase: 'Builder',
    progressPercent: 40,
    tokensUsed: 48_200,
    error: null,
    task: 'task-2',
    retried: false,
    startedAt: '2026-11-20T14:08:02.000Z',
    updatedAt: '2026-11-20T14:12:40.000Z',
    endedAt: null,
    stalled: false,
    source: 'push',
  };

  it('validates a realistic agent frame, and one for an agent that failed or went quiet', () => {
    expect(frameErrors({ type: 'agent', agent })).toEqual([]);
    const failed: Agent = {
      ...agent,
      status: 'failed',
      reportedStatus: 'crashed',
      error: 'npm test exited with code 1',
      endedAt: '2026-11-20T14:15:00.000Z',
      progressPercent: null,
      tokensUsed: null,
    };
    expect(frameErrors({ type: 'agent', agent: failed })).toEqual([]);
    expect(
      frameErrors({ type: 'agent', agent: { ...agent, stalled: true, type: null, name: null } }),
    ).toEqual([]);
    expect(defErrors('Agent', (def('Agent').examples as unknown[])[0])).toEqual([]);
  });

  it('lists every field of Agent as required, no more, no less', () => {
    expect(required('Agent')).toEqual(keys(agent));
    expect(declared('Agent')).toEqual(keys(agent));
  });

  it('rejects an agent with an unknown status, a stray field or a missing session', () => {
    expect(frameErrors({ type: 'agent', agent: { ...agent, status: 'thinking' } }).join('\n')).toContain(
      '/agent/status',
    );
    expect(frameErrors({ type: 'agent', agent: { ...agent, elapsedSeconds: 3 } }).join('\n')).toContain(
      'unexpected property "elapsedSeconds"',
    );
    const { sessionId: _sessionId, ...orphan } = agent;
    expect(frameErrors({ type: 'agent', agent: orphan }).join('\n')).toContain('missing "sessionId"');
  });

  it('validates a real plan with blocked phases and Builder tasks, field for field', () => {
    const session = makeSession({ state: 'failed', activity: 'failed', endedAt: '2026-11-20T14:05:00Z' });
    const tasks: BuildTask[] = [
      { id: 'task-1', name: 'Models', status: 'failed', dependsOn: [], files: [], agent: 'b1', error: 'tsc' },
      {
        id: 'task-2',
        name: 'API',
        status: 'queued',
        dependsOn: ['task-1'],
        files: [],
        agent: null,
        error: null,
      },
    ];
    const plan = buildPlan(session, tasks);
    expect(plan.some((phase) => phase.status === 'blocked')).toBe(true);
    expect(frameErrors({ type: 'plan', sessionId: session.id, plan })).toEqual([]);
    const builder = plan.find((phase) => phase.name === 'Builder')!;
    expect(required('PlanPhase')).toEqual(keys(builder));
    expect(declared('PlanPhase')).toEqual(keys(builder));
    expect(required('PlanTask')).toEqual(keys(builder.tasks[0]!));
    expect(declared('PlanTask')).toEqual(keys(builder.tasks[0]!));
    const broken = structuredClone(plan);
    (broken[0] as { status: string }).status = 'upcoming';
    expect(frameErrors({ type: 'plan', sessionId: session.id, plan: broken }).join('\n')).toContain(
      '/plan/0/status',
    );
  });
});
