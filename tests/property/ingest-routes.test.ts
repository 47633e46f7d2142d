/**
 * Property: any body on any ingest route of a real server gets a JSON answer with a fitting
 * status (never 500), the server stays up, and every session it keeps is within its caps.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { MAX_PHASES, MAX_TEXT_LENGTH } from '../../src/collector/limits.js';
import type { ServerHandle } from '../../src/server/main.js';
import { phase, startTestServer } from '../helpers/server.js';
import {
  AGENT_FIELDS,
  check,
  deepText,
  EVENT_FIELDS,
  fileText,
  jsonObject,
  jsonValue,
  measure,
  PHASE_FIELDS,
  runs,
  text,
} from './arbitraries.js';

const ANSWERS = new Set([200, 202, 400, 404, 413, 415]);
const ERROR_CODES = new Set([
  'bad_json',
  'too_deep',
  'bad_fields',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
]);

/** A body for a route: JSON shaped for it, other JSON, JSON cut short, deep JSON, or garbage. */
const body = (fields: readonly string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: jsonObject(fields).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fileText(jsonValue(fields)) },
    { weight: 1, arbitrary: deepText },
    { weight: 1, arbitrary: text },
  );

const contentType = fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', '');

describe('ingest routes of a real server, for any body', () => {
  let server: ServerHandle;

  beforeAll(async () => {
    server = await startTestServer();
    await fetch(`${server.url}/api/phase-update`, { method: 'POST', body: JSON.stringify(phase()) });
  });
  afterAll(async () => {
    await server.close();
  });

  async function send(route: string, payload: string, type: string): Promise<void> {
    const response = await fetch(`${server.url}${route}`, {
      method: 'POST',
      headers: type === '' ? {} : { 'content-type': type },
      body: payload,
    });
    const reply = await response.text();
    const answer = JSON.parse(reply) as { error?: { code: string } };
    check(ANSWERS.has(response.status), `${route} answered ${response.status}`);
    check(reply.length <= 12 * payload.length + 20_000, `${route}: a reply larger than its input allows`);
    if (response.status >= 400)
      check(ERROR_CODES.has(answer.error?.code ?? ''), `${route}: ${answer.error?.code}`);
  }

  it.each([
    ['/api/phase-update', PHASE_FIELDS, 800],
    ['/api/agent-update', AGENT_FIELDS, 500],
    ['/api/broadcast/weather-app', EVENT_FIELDS, 400],
    ['/v1/logs', ['resourceLogs', 'scopeLogs', 'logRecords', 'attributes'], 400],
    ['/v1/metrics', ['resourceMetrics', 'scopeMetrics', 'metrics', 'sum'], 400],
  ] as const)('%s answers every body', async (route, fields, cases) => {
    await fc.assert(
      fc.asyncProperty(body(fields), contentType, (payload, type) => send(route, payload, type)),
      runs(cases),
    );
    const health = await fetch(`${server.url}/api/health`);
    check(health.status === 200, 'server down');
    for (const { session } of server.registry.entries()) {
      check(session.phases.length <= MAX_PHASES && session.phasesCompleted.length <= MAX_PHASES, 'caps');
      check(measure(session).longestText <= MAX_TEXT_LENGTH, 'session text past its cap');
    }
  });
});
