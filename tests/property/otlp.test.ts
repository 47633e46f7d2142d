/**
 * Property: any OTLP JSON body (logs or metrics) gives samples, events and points within their
 * caps plus problems, never a throw; and the accumulator keeps at most 32 models per session.
 * Any bytes sent as protobuf decode or are refused, never a throw; and a body that protobuf can
 * carry reads the same in both encodings.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { MAX_MODELS, MAX_NAME_LENGTH } from '../../src/collector/limits.js';
import { parseOtlpLogs, parseOtlpMetrics } from '../../src/collector/otlp.js';
import { decodeOtlpProtobuf, otlpSchema } from '../../src/collector/otlp-protobuf.js';
import { OtlpMetricAccumulator } from '../../src/core/otlp-usage.js';
import {
  boundedBy,
  check,
  jsonValue,
  longText,
  nestedText,
  number,
  numberText,
  runs,
  text,
} from './arbitraries.js';

const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.record({ stringValue: fc.oneof(text, longText, numberText) }),
    fc.record({ intValue: fc.oneof(number, numberText) }),
    fc.record({ doubleValue: fc.oneof(number, numberText) }),
    fc.record({ boolValue: fc.oneof(fc.boolean(), text) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: text, value: tie('value') }), { maxLength: 3 }),
      }),
    }),
    jsonValue(['stringValue', 'intValue']),
  ),
})).value;

const KEYS = [
  'event.name',
  'session.id',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cost_usd',
  'request_id',
  'type',
  'event.timestamp',
  '__proto__',
  'constructor',
];
const attribute = fc.record({ key: fc.oneof(fc.constantFrom(...KEYS), text), value: anyValue });
const attributes = fc.array(attribute, { maxLength: 8 });
const nanos = fc.oneof(numberText, number, fc.constant('1795183500000000000'), fc.constant('9'.repeat(30)));

const eventName = fc.oneof(text, fc.constantFrom('claude_code.api_request', 'api_error', ''));
const logRecord = fc.record(
  { timeUnixNano: nanos, observedTimeUnixNano: nanos, body: anyValue, attributes, eventName },
  { requiredKeys: [] },
);
const dataPoint = fc.record(
  {
    attributes,
    asInt: fc.oneof(number, numberText),
    asDouble: number,
    timeUnixNano: nanos,
    startTimeUnixNano: nanos,
    flags: number,
  },
  { requiredKeys: [] },
);
const metric = fc.record(
  {
    name: fc.constantFrom('claude_code.token.usage', 'claude_code.cost.usage', 'other'),
    sum: fc.record(
      {
        aggregationTemporality: fc.oneof(fc.constantFrom(1, 2), number),
        isMonotonic: fc.boolean(),
        dataPoints: fc.array(dataPoint, { maxLength: 6 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** `{outer: [{resource, inner: [{leaf: [...]}]}]}`, the nesting logs and metrics share. */
const nesting = (outer: string, inner: string, leaf: string, item: fc.Arbitrary<unknown>) =>
  fc
    .array(
      fc.record({
        resource: fc.record({ attributes }),
        scopes: fc.array(fc.array(item, { maxLength: 6 }), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    )
    .map((groups) => ({
      [outer]: groups.map(({ resource, scopes }) => ({
        resource,
        [inner]: scopes.map((items) => ({ [leaf]: items })),
      })),
    }));

const logsBody = fc.oneof(
  { weight: 6, arbitrary: nesting('resourceLogs', 'scopeLogs', 'logRecords', logRecord) },
  { weight: 1, arbitrary: jsonValue(['resourceLogs', 'scopeLogs', 'logRecords']) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60, max: 3_000 })
      .map((depth) => JSON.parse(`{"resourceLogs":${nestedText(depth)}}`) as unknown),
  },
);
const metricsBody = fc.oneof(
  { weight: 6, arbitrary: nesting('resourceMetrics', 'scopeMetrics', 'metrics', metric) },
  { weight: 1, arbitrary: jsonValue(['resourceMetrics', 'scopeMetrics', 'metrics']) },
);

describe('OTLP parsers, for any body', () => {
  it('read logs into exact samples and bounded events, with at most 51 problem lines', () => {
    fc.assert(
      fc.property(logsBody, (body) => {
        const parsed = parseOtlpLogs(body);
        check(parsed.problems.length <= 51, 'too many problem lines');
        for (const sample of parsed.samples) {
          for (const tokens of [sample.input, sample.output, sample.cacheRead, sample.cacheWrite]) {
            check(Number.isSafeInteger(tokens) && tokens >= 0, `token count ${tokens}`);
          }
          check(sample.model.length <= MAX_NAME_LENGTH, 'model name too long');
          check(!Number.isNaN(new Date(sample.at).getTime()), 'time that is no date');
        }
        for (const event of parsed.events)
          check(Object.getPrototypeOf(event.attributes) === Object.prototype, 'odd prototype');
        check(boundedBy(JSON.stringify(body)?.length ?? 0, parsed), 'output larger than its input allows');
      }),
      runs(2_000),
    );
  });

  it('read metrics into exact points, and totals that keep at most 32 models per session', () => {
    fc.assert(
      fc.property(fc.array(metricsBody, { minLength: 1, maxLength: 4 }), (bodies) => {
        const accumulator = new OtlpMetricAccumulator();
        for (const body of bodies) {
          const parsed = parseOtlpMetrics(body);
          for (const point of parsed.points) {
            check(Number.isFinite(point.value) && point.value >= 0, `value ${point.value}`);
            check(point.kind === 'cost' || Number.isSafeInteger(point.value), 'unsafe token count');
          }
          accumulator.addAll(parsed.points);
        }
        const perSession = new Map<string | null, number>();
        for (const totals of accumulator.totals())
          perSession.set(totals.sessionId, (perSession.get(totals.sessionId) ?? 0) + 1);
        for (const models of perSession.values()) check(models <= MAX_MODELS + 1, 'too many models');
      }),
      runs(1_500),
    );
  });

  it('decode any bytes sent as protobuf, or refuse them with a problem, and read what decodes', () => {
    fc.assert(
      fc.property(fc.constantFrom('logs', 'metrics'), fc.uint8Array({ maxLength: 400 }), (signal, bytes) => {
        const decoded = decodeOtlpProtobuf(signal, bytes);
        if (!decoded.ok) return check(decoded.problem.startsWith('not a protobuf'), decoded.problem);
        const parsed = signal === 'logs' ? parseOtlpLogs(decoded.body) : parseOtlpMetrics(decoded.body);
        check(parsed.problems.length <= 51, 'too many problem lines');
      }),
      runs(2_000),
    );
  });

  it('read a body the same whether it came as JSON or as protobuf', () => {
    const twin = (name: string, body: object): unknown => {
      const type = otlpSchema.lookupType(`otlp.${name}`);
      const decoded = decodeOtlpProtobuf(
        name.includes('Logs') ? 'logs' : 'metrics',
        type.encode(type.fromObject(body)).finish(),
      );
      if (!decoded.ok) throw new Error(decoded.problem);
      return decoded.body;
    };
    fc.assert(
      fc.property(wireLogs, wireMetrics, (logs, metrics) => {
        const fromLogs = parseOtlpLogs(twin('ExportLogsServiceRequest', logs));
        check(isDeepStrictEqual(fromLogs, parseOtlpLogs(logs)), 'logs read differently');
        const fromMetrics = parseOtlpMetrics(twin('ExportMetricsServiceRequest', metrics));
        check(isDeepStrictEqual(fromMetrics, parseOtlpMetrics(metrics)), 'metrics read differently');
      }),
      runs(500),
    );
  });
});

/** Values of the types protobuf carries (int64, fixed64, double, well-formed text), in the JSON shape. */
const wireText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom(...KEYS));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
const fixed64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.constantFrom('1795183500000000000', '0'),
);
const wireNumber = fc.oneof(fc.integer({ min: 0, max: 100_000 }).map(String), int64);
const wireValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.record({ stringValue: fc.oneof(wireText, wireNumber) }),
    fc.record({ intValue: wireNumber }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: wireText, value: tie('value') }), { maxLength: 3 }),
      }),
    }),
  ),
})).value;
const wireAttributes = fc.array(fc.record({ key: wireText, value: wireValue }), { maxLength: 8 });
const wireNesting = (outer: string, inner: string, leaf: string, item: fc.Arbitrary<unknown>) =>
  fc.array(fc.tuple(wireAttributes, fc.array(item, { maxLength: 4 })), { maxLength: 2 }).map((groups) => ({
    [outer]: groups.map(([attributes, items]) => ({
      resource: { attributes },
      [inner]: [{ [leaf]: items }],
    })),
  }));
const wireLogs = wireNesting(
  'resourceLogs',
  'scopeLogs',
  'logRecords',
  fc.record(
    {
      timeUnixNano: fixed64,
      observedTimeUnixNano: fixed64,
      body: wireValue,
      attributes: wireAttributes,
      eventName: fc.oneof(wireText, fc.constantFrom('claude_code.api_request', 'api_error')),
    },
    { requiredKeys: [] },
  ),
);
const wirePoint = fc
  .tuple(
    fc.record(
      { attributes: wireAttributes, startTimeUnixNano: fixed64, timeUnixNano: fixed64 },
      { requiredKeys: [] },
    ),
    fc.oneof(fc.record({ asInt: int64 }), fc.record({ asDouble: fc.double() }), fc.constant({})),
  )
  .map(([point, value]) => ({ ...point, ...value }));
const wireMetrics = wireNesting(
  'resourceMetrics',
  'scopeMetrics',
  'metrics',
  fc.record({
    name: fc.constantFrom('claude_code.token.usage', 'claude_code.cost.usage', 'other'),
    // Both are always written: JSON without them is read leniently, proto3 reads them as 0 and false.
    sum: fc.record({
      aggregationTemporality: fc.constantFrom(0, 1, 2),
      isMonotonic: fc.boolean(),
      dataPoints: fc.array(wirePoint, { maxLength: 4 }),
    }),
  }),
);
