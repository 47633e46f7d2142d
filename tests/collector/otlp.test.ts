import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseOtlpLogs, parseOtlpMetrics, type OtlpTokenPoint } from '../../src/collector/otlp.js';
import type { TokenSample } from '../../src/collector/types.js';
import { MAX_MODELS } from '../../src/collector/limits.js';
import { OTHER_MODELS, OtlpMetricAccumulator } from '../../src/core/otlp-usage.js';

type Json = Record<string, unknown>;
const fixture = async (name: string): Promise<Json> =>
  JSON.parse(await readFile(new URL(`../fixtures/otlp/${name}`, import.meta.url), 'utf8')) as Json;

const SESSION = '6e2a8c02-aec9-4272-bcde-9843b25ad407';
const str = (key: string, value: string): Json => ({ key, value: { stringValue: value } });

/** A one-record logs body, with the given log record attributes. */
const logsBody = (attributes: Json[], record: Json = {}, resource: Json[] = []): Json => ({
  resourceLogs: [
    { resource: { attributes: resource }, scopeLogs: [{ logRecords: [{ attributes, ...record }] }] },
  ],
});

describe('parseOtlpLogs: Claude Code events', () => {
  it('turns each api_request into an exact token sample', async () => {
    const result = parseOtlpLogs(await fixture('logs-claude-code.json'));
    expect(result.problems).toEqual([]);
    expect(result.ignored).toBe(0);
    expect(result.samples).toEqual<TokenSample[]>([
      {
        key: expect.stringMatching(/^otel:[0-9a-f]{32}$/) as unknown as string,
        source: 'otel',
        claudeSessionId: SESSION,
        cwd: '/home/dev/builds/weather-app',
        project: 'weather-app',
        at: Date.parse('2026-11-20T14:05:12.345Z'),
        model: 'claude-sonnet-4-5-20250929',
        input: 12,
        output: 845,
        cacheRead: 18_230,
        cacheWrite: 2_210,
        costUsd: 0.0264675,
        sidechain: false,
      },
      {
        key: 'req:req_011CVx3k9dP2mT8qWn4Lb7Ya',
        source: 'otel',
        claudeSessionId: SESSION,
        cwd: '/home/dev/builds/weather-app',
        project: 'weather-app',
        at: Date.parse('2026-11-20T14:05:31.020Z'),
        model: 'claude-opus-4-6',
        input: 6,
        output: 1290,
        cacheRead: 40_116,
        cacheWrite: 512,
        costUsd: 0.055538,
        sidechain: false,
      },
    ]);
  });

  it('keeps api_error and tool_result for the log tail, without who ran the session', async () => {
    const { events } = parseOtlpLogs(await fixture('logs-claude-code.json'));
    expect(events.map((event) => event.name)).toEqual(['claude_code.api_error', 'claude_code.tool_result']);
    const [error, tool] = events;
    expect(error).toMatchObject({
      at: Date.parse('2026-11-20T14:06:02.500Z'),
      sessionId: SESSION,
      project: 'weather-app',
    });
    expect(error?.attributes).toMatchObject({
      model: 'claude-opus-4-6',
      status_code: '529',
      attempt: '2',
      'event.sequence': 5,
    });
    expect(error?.attributes.error).toContain('overloaded_error');
    for (const hidden of ['user.email', 'user.id']) expect(error?.attributes).not.toHaveProperty(hidden);
    expect(tool?.attributes).toMatchObject({ tool_name: 'Bash', success: 'true', duration_ms: '2140' });
  });

  it('gives a request without request_id the same key every time it is seen, and another request another key', async () => {
    const body = await fixture('logs-claude-code.json');
    const first = parseOtlpLogs(body).samples[0]?.key;
    expect(parseOtlpLogs(structuredClone(body)).samples[0]?.key).toBe(first);
    const changed = logsBody([
      str('event.name', 'api_request'),
      str('session.id', SESSION),
      str('event.timestamp', '2026-11-20T14:05:12.345Z'),
      str('model', 'claude-sonnet-4-5-20250929'),
      str('input_tokens', '13'),
    ]);
    expect(parseOtlpLogs(changed).samples[0]?.key).not.toBe(first);
  });

  it('reads the record time when there is no event.timestamp, and numbers sent as JSON numbers', () => {
    const result = parseOtlpLogs(
      logsBody(
        [
          str('event.name', 'claude_code.api_request'),
          str('model', 'claude-haiku-4-5-20251001'),
          { key: 'input_tokens', value: { intValue: 40 } },
          { key: 'output_tokens', value: { doubleValue: 7 } },
          { key: 'cost_usd', value: { doubleValue: 0.000075 } },
          str('buildcast.project', 'log-level-name'),
        ],
        { timeUnixNano: 1_795_183_512_345_000_000 },
        [str('buildcast.project', 'resource-level-name'), str('session.id', 'from-resource')],
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.samples[0]).toMatchObject({
      at: 1_795_183_512_345,
      claudeSessionId: 'from-resource',
      project: 'log-level-name',
      cwd: null,
      input: 40,
      output: 7,
      cacheRead: 0,
      cacheWrite: 0,
      costUsd: 0.000075,
    });
  });

  it('recognizes an event by its body alone and passes over other services’ logs', () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [str('service.name', 'checkout-api')] },
          scopeLogs: [
            {
              logRecords: [{ timeUnixNano: '1795183512345000000', body: { stringValue: 'GET /health 200' } }],
            },
          ],
        },
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  observedTimeUnixNano: '1795183512345000000',
                  body: { stringValue: 'claude_code.user_prompt' },
                  attributes: [str('prompt_length', '42'), str('prompt', '<REDACTED>')],
                },
              ],
            },
          ],
        },
      ],
    };
    const result = parseOtlpLogs(body);
    expect(result).toEqual({
      samples: [],
      events: [
        {
          name: 'claude_code.user_prompt',
          at: 1_795_183_512_345,
          sessionId: null,
          project: null,
          attributes: { prompt_length: '42', prompt: '<REDACTED>' },
        },
      ],
      problems: [],
      ignored: 1,
    });
  });

  it('recognizes an event named only by the record’s eventName, with or without its prefix', () => {
    const usage = [
      str('session.id', SESSION),
      str('model', 'claude-sonnet-4-5-20250929'),
      str('input_tokens', '30'),
      str('output_tokens', '12'),
    ];
    const at = { timeUnixNano: '1795183512345000000' };
    const result = parseOtlpLogs({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { ...at, eventName: 'claude_code.api_request', attributes: usage },
                {
                  ...at,
                  eventName: 'api_error',
                  attributes: [str('session.id', SESSION), str('error', '529')],
                },
                // A blank eventName names nothing: the attribute still does.
                { ...at, eventName: ' ', attributes: [str('event.name', 'tool_result')] },
                { ...at, eventName: '', body: null, attributes: [str('service.name', 'checkout-api')] },
              ],
            },
          ],
        },
      ],
    });
    expect(result.problems).toEqual([]);
    expect(result.samples).toEqual([
      expect.objectContaining({ claudeSessionId: SESSION, input: 30, output: 12, at: 1_795_183_512_345 }),
    ]);
    expect(result.events.map((event) => [event.name, event.attributes])).toEqual([
      ['claude_code.api_error', { 'session.id': SESSION, error: '529' }],
      ['claude_code.tool_result', { 'event.name': 'tool_result' }],
    ]);
    expect(result.ignored).toBe(1);
  });
});

describe('parseOtlpLogs: malformed bodies produce problems, never samples or exceptions', () => {
  it.each([
    [null, 'body: expected an OTLP JSON object with "resourceLogs", got null'],
    ['resourceLogs', 'body: expected an OTLP JSON object with "resourceLogs", got "resourceLogs"'],
    [[{}], 'body: expected an OTLP JSON object with "resourceLogs", got [{}]'],
    [{ resourceLogs: 5 }, 'resourceLogs: expected an array, got 5'],
    [{ resourceLogs: ['x'] }, 'resourceLogs[0]: expected an object'],
    [
      { resourceLogs: [{ scopeLogs: [{ logRecords: {} }] }] },
      'resourceLogs[0].scopeLogs[0].logRecords: expected an array, got {}',
    ],
    [
      { resourceLogs: [{ scopeLogs: [{ logRecords: [7] }] }] },
      'resourceLogs[0].scopeLogs[0].logRecords[0]: expected a log record object',
    ],
  ])('%j', (body, problem) => {
    const result = parseOtlpLogs(body);
    expect(result.samples).toEqual([]);
    expect(result.events).toEqual([]);
    expect(result.problems).toEqual([problem]);
  });

  it('skips an api_request whose numbers or model cannot be read, naming the attribute', () => {
    const path = 'resourceLogs[0].scopeLogs[0].logRecords[0]';
    const request = (...attributes: Json[]): Json =>
      logsBody([
        str('event.name', 'api_request'),
        str('event.timestamp', '2026-11-20T14:05:12.345Z'),
        ...attributes,
      ]);
    const cases: [Json, string[]][] = [
      [
        request(str('model', 'claude-opus-4-6'), str('input_tokens', '12abc')),
        [`${path}.attributes (input_tokens): expected a whole number, got "12abc"`],
      ],
      [
        request(str('model', 'claude-opus-4-6'), { key: 'output_tokens', value: { intValue: '-3' } }),
        [`${path}.attributes (output_tokens): expected a value of 0 or more, got -3`],
      ],
      [
        request(str('model', 'claude-opus-4-6'), { key: 'cache_read_tokens', value: { intValue: 'lots' } }),
        [`${path}.attributes[3] (cache_read_tokens): expected a whole number, got "lots"`],
      ],
      [request(str('input_tokens', '5')), [`${path}: api_request without a model; skipped`]],
      [
        logsBody([str('event.name', 'api_request'), str('model', 'claude-opus-4-6')], {
          timeUnixNano: 'yesterday',
        }),
        [
          `${path}.timeUnixNano: expected nanoseconds since the epoch, got "yesterday"`,
          `${path}: no usable time (event.timestamp, timeUnixNano, observedTimeUnixNano); skipped`,
        ],
      ],
    ];
    for (const [body, problems] of cases) {
      const result = parseOtlpLogs(body);
      expect(result.samples).toEqual([]);
      expect(result.problems).toEqual(problems);
    }
  });

  it('keeps a flood of bad records to a bounded list of problems', () => {
    const logRecords = Array.from({ length: 200 }, () => 'garbage');
    const result = parseOtlpLogs({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] });
    expect(result.problems).toHaveLength(51);
    expect(result.problems.at(-1)).toBe('… and 150 more problems');
  });
});

describe('parseOtlpMetrics', () => {
  it('reads cumulative token usage by type and cost, and passes over other metrics', async () => {
    const { points, problems } = parseOtlpMetrics(await fixture('metrics-cumulative.json'));
    expect(problems).toEqual([]);
    const sonnet = points.filter((point) => point.model === 'claude-sonnet-4-5-20250929');
    expect(sonnet.map((point) => [point.kind, point.value])).toEqual([
      ['input', 1530],
      ['output', 4210],
      ['cacheRead', 96_500],
      ['cacheWrite', 12_800],
      ['cost', 0.14469],
    ]);
    expect(points).toHaveLength(8);
    expect(points[0]).toEqual<OtlpTokenPoint>({
      sessionId: SESSION,
      project: 'weather-app',
      model: 'claude-sonnet-4-5-20250929',
      kind: 'input',
      value: 1530,
      temporality: 'cumulative',
      startAt: Date.parse('2026-11-20T14:02:11.000Z'),
      at: Date.parse('2026-11-20T14:03:11.000Z'),
    });
  });

  it("reads Claude Code's own delta export, model spelled with its [1m] marker", async () => {
    const { points, problems } = parseOtlpMetrics(await fixture('metrics-delta.json'));
    expect(problems).toEqual([]);
    expect(points.map((point) => [point.kind, point.value, point.temporality, point.model])).toEqual([
      ['input', 220, 'delta', 'claude-opus-4-6[1m]'],
      ['output', 3105, 'delta', 'claude-opus-4-6[1m]'],
      ['cacheRead', 184_230, 'delta', 'claude-opus-4-6[1m]'],
      ['cacheWrite', 9268, 'delta', 'claude-opus-4-6[1m]'],
      ['cost', 0.228765, 'delta', 'claude-opus-4-6[1m]'],
    ]);
    expect(points.every((point) => point.project === null)).toBe(true);
  });

  it('reports malformed metrics and data points with their path, and yields nothing from them', () => {
    const metric = (sum: unknown): Json => ({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'claude_code.token.usage', sum }] }] }],
    });
    const point = (extra: Json): Json => ({
      aggregationTemporality: 2,
      isMonotonic: true,
      dataPoints: [
        { attributes: [str('type', 'input')], timeUnixNano: '1795183391000000000', asInt: '5', ...extra },
      ],
    });
    const at = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';
    const dp = `${at}.sum.dataPoints[0]`;
    const cases: [unknown, string][] = [
      [{ resourceMetrics: 'none' }, 'resourceMetrics: expected an array, got "none"'],
      [metric(undefined), `${at} (claude_code.token.usage): expected a "sum" (a counter); skipped`],
      [
        metric({ ...point({}), aggregationTemporality: 0 }),
        `${at} (claude_code.token.usage): aggregationTemporality 0 is neither delta (1) nor cumulative (2)`,
      ],
      [
        metric({ ...point({}), isMonotonic: false }),
        `${at} (claude_code.token.usage): a non-monotonic sum cannot be totalled; skipped`,
      ],
      [metric(point({ asInt: '5.5' })), `${dp}.asInt: expected a whole number, got "5.5"`],
      [metric(point({ asInt: undefined, asDouble: -2 })), `${dp}: a counter cannot be negative, got -2`],
      [metric(point({ asInt: undefined })), `${dp}: no asInt or asDouble value; skipped`],
      [
        metric(point({ attributes: [str('type', 'thinking')] })),
        `${dp}: unknown token type "thinking"; skipped`,
      ],
      [metric(point({ timeUnixNano: undefined })), `${dp}: no timeUnixNano; skipped`],
    ];
    for (const [body, problem] of cases) {
      const result = parseOtlpMetrics(body);
      expect(result.points).toEqual([]);
      expect(result.problems).toEqual([problem]);
    }
  });
});

type Totals = Record<string, number>;

/**
 * The cumulative fixture re-timed, carrying only the given models' series, each set to the given
 * running totals by token type (or `cost`).
 */
async function cumulativeExport(
  startIso: string,
  atIso: string,
  byModel: Record<string, Totals>,
): Promise<Json> {
  const text = JSON.stringify(await fixture('metrics-cumulative.json'))
    .replaceAll('1795183331000000000', `${Date.parse(startIso)}000000`)
    .replaceAll('1795183391000000000', `${Date.parse(atIso)}000000`);
  const body = JSON.parse(text) as {
    resourceMetrics: { scopeMetrics: { metrics: { name: string; sum: { dataPoints: Json[] } }[] }[] }[];
  };
  for (const metric of body.resourceMetrics[0]!.scopeMetrics[0]!.metrics) {
    if (metric.name === 'claude_code.session.count') continue;
    metric.sum.dataPoints = metric.sum.dataPoints.filter((dp) => {
      const attrs = dp.attributes as { key: string; value: { stringValue: string } }[];
      const model = attrs.find((a) => a.key === 'model')?.value.stringValue ?? '';
      const type = attrs.find((a) => a.key === 'type')?.value.stringValue ?? 'cost';
      const value = byModel[model]?.[type];
      if (value === undefined) return false;
      if (type === 'cost') dp.asDouble = value;
      else dp.asInt = String(value);
      return true;
    });
  }
  return body as unknown as Json;
}

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';

describe('OtlpMetricAccumulator', () => {
  it('takes the latest cumulative value per series and keeps what a reset counter had counted', async () => {
    const totals = new OtlpMetricAccumulator();
    const start = '2026-11-20T14:02:11.000Z';
    totals.addAll(parseOtlpMetrics(await fixture('metrics-cumulative.json')).points);
    totals.addAll(
      parseOtlpMetrics(
        await cumulativeExport(start, '2026-11-20T14:04:11.000Z', {
          [SONNET]: { input: 2000, output: 6000, cacheRead: 150_000, cacheCreation: 15_000, cost: 0.2 },
          [HAIKU]: { input: 2048, output: 64, cost: 0.002368 },
        }),
      ).points,
    );
    // An older export arriving late changes nothing.
    totals.addAll(parseOtlpMetrics(await fixture('metrics-cumulative.json')).points);
    // Claude Code restarted: a new start time and smaller running totals.
    totals.addAll(
      parseOtlpMetrics(
        await cumulativeExport('2026-11-20T14:10:00.000Z', '2026-11-20T14:11:00.000Z', {
          [SONNET]: { input: 100, output: 50, cacheRead: 0, cacheCreation: 900, cost: 0.01 },
        }),
      ).points,
    );
    expect(totals.totalsFor(SESSION)).toEqual([
      {
        sessionId: SESSION,
        project: 'weather-app',
        model: 'claude-haiku-4-5-20251001',
        input: 2048,
        output: 64,
        cacheRead: 0,
        cacheWrite: 0,
        costUsd: 0.002368,
        updatedAt: Date.parse('2026-11-20T14:04:11.000Z'),
      },
      {
        sessionId: SESSION,
        project: 'weather-app',
        model: 'claude-sonnet-4-5-20250929',
        input: 2100,
        output: 6050,
        cacheRead: 150_000,
        cacheWrite: 15_900,
        costUsd: 0.21,
        updatedAt: Date.parse('2026-11-20T14:11:00.000Z'),
      },
    ]);
  });

  it('detects a reset from a falling value even when the start time is not set', () => {
    const totals = new OtlpMetricAccumulator();
    const point = (value: number, at: number): OtlpTokenPoint => ({
      sessionId: 's',
      project: null,
      model: 'claude-haiku-4-5',
      kind: 'output',
      value,
      temporality: 'cumulative',
      startAt: null,
      at,
    });
    totals.addAll([point(10, 1), point(25, 2), point(4, 3), point(9, 4)]);
    expect(totals.totals()[0]).toMatchObject({ output: 34, costUsd: null, updatedAt: 4 });
  });

  it('sums delta points and drops a batch the exporter sent twice', async () => {
    const body = await fixture('metrics-delta.json');
    const totals = new OtlpMetricAccumulator();
    const first = parseOtlpMetrics(body).points;
    totals.addAll(first);
    totals.addAll(first);
    const next = JSON.parse(
      JSON.stringify(body)
        .replaceAll('1795183451000000000', '1795183511000000000')
        .replaceAll('1795183391000000000', '1795183451000000000'),
    ) as Json;
    totals.addAll(parseOtlpMetrics(next).points);
    expect(totals.totals()).toEqual([
      {
        sessionId: '0b7d5c3a-91e4-4f26-8a1d-5e9c2f7b4a60',
        project: null,
        model: 'claude-opus-4-6[1m]',
        input: 440,
        output: 6210,
        cacheRead: 368_460,
        cacheWrite: 18_536,
        costUsd: 0.45753,
        updatedAt: 1_795_183_511_000,
      },
    ]);
  });

  it('forgets a session on request', async () => {
    const totals = new OtlpMetricAccumulator();
    totals.addAll(parseOtlpMetrics(await fixture('metrics-cumulative.json')).points);
    totals.addAll(parseOtlpMetrics(await fixture('metrics-delta.json')).points);
    totals.forget(SESSION);
    expect(totals.totals().map((t) => t.sessionId)).toEqual(['0b7d5c3a-91e4-4f26-8a1d-5e9c2f7b4a60']);
  });
});

describe('OTLP: hostile bodies', () => {
  const request = (extra: Json[], record: Json = {}) =>
    logsBody(
      [
        str('event.name', 'api_request'),
        str('session.id', SESSION),
        str('model', SONNET),
        str('event.timestamp', '2026-11-20T14:05:12.345Z'),
        ...extra,
      ],
      record,
    );

  it('refuses token counts beyond 2^53', () => {
    const result = parseOtlpLogs(request([{ key: 'input_tokens', value: { intValue: '9007199254740993' } }]));
    expect(result.samples).toEqual([]);
    expect(result.problems).toEqual([
      'resourceLogs[0].scopeLogs[0].logRecords[0].attributes[4] (input_tokens): expected a whole number below 2^53, got "9007199254740993"',
    ]);
  });

  it('refuses a time after the year 9999', () => {
    const body = logsBody([str('event.name', 'user_prompt')], { timeUnixNano: '9'.repeat(30) });
    const result = parseOtlpLogs(body);
    expect(result.events).toEqual([]);
    expect(result.problems[0]).toMatch(/timeUnixNano: expected nanoseconds since the epoch/);
  });

  it('keeps an attribute named "__proto__" as an attribute', () => {
    const body = logsBody([
      str('event.name', 'tool_result'),
      str('__proto__', 'x'),
      str('constructor', 'y'),
      str('event.timestamp', '2026-11-20T14:05:12.345Z'),
    ]);
    const [event] = parseOtlpLogs(body).events;
    expect(Object.getPrototypeOf(event!.attributes)).toBe(Object.prototype);
    expect(Object.entries(event!.attributes)).toEqual([
      ['event.name', 'tool_result'],
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['event.timestamp', '2026-11-20T14:05:12.345Z'],
    ]);
  });

  it('reports a value nested past the depth limit instead of walking it', () => {
    let value: Json = { stringValue: 'bottom' };
    for (let i = 0; i < 10_000; i++) value = { arrayValue: { values: [value] } };
    const result = parseOtlpLogs(logsBody([str('event.name', 'tool_result'), { key: 'deep', value }]));
    expect(result.problems.some((line) => line.endsWith('nested more than 64 levels deep'))).toBe(true);
  });

  it('counts the models of a session beyond 32 as one', () => {
    const totals = new OtlpMetricAccumulator();
    for (let i = 0; i < 1_000; i++) {
      totals.add({
        sessionId: SESSION,
        project: null,
        model: `hostile-${i}`,
        kind: 'input',
        value: 1,
        temporality: 'delta',
        startAt: i,
        at: i + 1,
      });
    }
    const rows = totals.totalsFor(SESSION);
    expect(rows).toHaveLength(MAX_MODELS + 1);
    expect(rows.find((row) => row.model === OTHER_MODELS)?.input).toBe(1_000 - MAX_MODELS);
    expect(rows.reduce((sum, row) => sum + row.input, 0)).toBe(1_000);
  });
});
