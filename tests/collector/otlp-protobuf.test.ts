/**
 * OTLP protobuf bodies read as their JSON twins: each fixture is written with the schema the
 * receiver reads (as an exporter would write it), decoded, and parsed into exactly what its JSON
 * gives; and what cannot be decoded is a problem, never an exception.
 */
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { parseOtlpLogs, parseOtlpMetrics } from '../../src/collector/otlp.js';
import {
  decodeOtlpProtobuf,
  encodeOtlpResponse,
  encodeOtlpStatus,
  otlpSchema,
} from '../../src/collector/otlp-protobuf.js';

type Json = Record<string, unknown>;
const fixture = async (name: string): Promise<Json> =>
  JSON.parse(await readFile(new URL(`../fixtures/otlp/${name}`, import.meta.url), 'utf8')) as Json;

const type = (name: string) => otlpSchema.lookupType(`otlp.${name}`);
/** A message written with protobufjs from its OTLP JSON shape. */
const encode = (name: string, value: Json): Uint8Array => {
  const message = type(name);
  return message.encode(message.fromObject(value)).finish();
};
const decoded = (signal: 'logs' | 'metrics', bytes: Uint8Array): unknown => {
  const result = decodeOtlpProtobuf(signal, bytes);
  if (!result.ok) throw new Error(result.problem);
  return result.body;
};

describe('decodeOtlpProtobuf', () => {
  it('reads Claude Code’s events exactly as their JSON encoding', async () => {
    const json = await fixture('logs-claude-code.json');
    const fromProtobuf = parseOtlpLogs(decoded('logs', encode('ExportLogsServiceRequest', json)));
    expect(fromProtobuf).toEqual(parseOtlpLogs(json));
    expect(fromProtobuf.samples.map((sample) => sample.input)).toEqual([12, 6]);
  });

  it.each(['metrics-delta.json', 'metrics-cumulative.json'])(
    'reads %s exactly as its JSON encoding',
    async (name) => {
      const json = await fixture(name);
      const fromProtobuf = parseOtlpMetrics(decoded('metrics', encode('ExportMetricsServiceRequest', json)));
      expect(fromProtobuf).toEqual(parseOtlpMetrics(json));
      expect(fromProtobuf.points.length).toBeGreaterThan(0);
    },
  );

  it('gives 64-bit values as decimal strings and reads eventName (field 12)', () => {
    const body = decoded(
      'logs',
      encode('ExportLogsServiceRequest', {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: '18446744073709551615',
                    eventName: 'claude_code.api_request',
                    attributes: [
                      { key: 'n', value: { intValue: '-9007199254740991' } },
                      { key: 'b', value: { bytesValue: Buffer.from('buildcast') } },
                      { key: 'off', value: { boolValue: false } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Json[] }> }> };
    const record = body.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record).toMatchObject({
      timeUnixNano: '18446744073709551615',
      observedTimeUnixNano: '0',
      eventName: 'claude_code.api_request',
      body: null,
      attributes: [
        { key: 'n', value: { intValue: '-9007199254740991' } },
        { key: 'b', value: { bytesValue: Buffer.from('buildcast').toString('base64') } },
        { key: 'off', value: { boolValue: false } },
      ],
    });
  });

  it('reads a sum sent without is_monotonic as proto3 does, as not monotonic', () => {
    const sum = {
      aggregationTemporality: 1,
      dataPoints: [{ asInt: 5, timeUnixNano: '1795183451000000000' }],
    };
    const body = {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'claude_code.cost.usage', sum }] }] }],
    };
    const result = parseOtlpMetrics(decoded('metrics', encode('ExportMetricsServiceRequest', body)));
    expect(result.points).toEqual([]);
    expect(result.problems).toEqual([
      'resourceMetrics[0].scopeMetrics[0].metrics[0] (claude_code.cost.usage): a non-monotonic sum cannot be totalled; skipped',
    ]);
  });

  it('reads an empty body as an empty request', () => {
    expect(decodeOtlpProtobuf('logs', new Uint8Array())).toEqual({ ok: true, body: { resourceLogs: [] } });
  });

  it('names what is wrong with a body that is not a request, and never throws', async () => {
    const whole = encode('ExportLogsServiceRequest', await fixture('logs-claude-code.json'));
    const truncated = decodeOtlpProtobuf('logs', whole.subarray(0, whole.length - 40));
    expect(truncated).toEqual({
      ok: false,
      problem: expect.stringMatching(
        /^not a protobuf ExportLogsServiceRequest: .*index out of range/,
      ) as unknown,
    });
    const json = decodeOtlpProtobuf('metrics', Buffer.from('{"resourceMetrics": []}'));
    expect(json).toMatchObject({
      ok: false,
      problem: expect.stringContaining('ExportMetricsServiceRequest'),
    });
  });

  it('refuses values nested deeper than protobufjs reads', () => {
    let value: Json = { stringValue: 'bottom' };
    for (let i = 0; i < 200; i++) value = { arrayValue: { values: [value] } };
    const record = { timeUnixNano: '1795183512345000000', body: value };
    // protobufjs writes no deeper than it reads either, unless told to for the writing.
    const limit = protobuf.util.recursionLimit;
    protobuf.util.recursionLimit = 1_000;
    let bytes: Uint8Array;
    try {
      bytes = encode('ExportLogsServiceRequest', {
        resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }],
      });
    } finally {
      protobuf.util.recursionLimit = limit;
    }
    expect(decodeOtlpProtobuf('logs', bytes)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('max depth exceeded'),
    });
  });
});

describe('encodeOtlpResponse and encodeOtlpStatus', () => {
  const decode = (name: string, bytes: Uint8Array) =>
    type(name).toObject(type(name).decode(bytes), { longs: String });

  it('leaves partial_success unset when nothing was rejected', () => {
    expect(encodeOtlpResponse('logs', 0, '')).toHaveLength(0);
    expect(encodeOtlpResponse('metrics', 0, '')).toHaveLength(0);
  });

  it('says what was rejected, in each signal’s own field', () => {
    expect(decode('ExportLogsServiceResponse', encodeOtlpResponse('logs', 2, 'no model'))).toEqual({
      partialSuccess: { rejectedLogRecords: '2', errorMessage: 'no model' },
    });
    expect(decode('ExportMetricsServiceResponse', encodeOtlpResponse('metrics', 1, 'bad type'))).toEqual({
      partialSuccess: { rejectedDataPoints: '1', errorMessage: 'bad type' },
    });
  });

  it('writes an error as a google.rpc.Status message', () => {
    expect(decode('Status', encodeOtlpStatus('request body is over the 256 KB limit'))).toEqual({
      message: 'request body is over the 256 KB limit',
    });
  });
});
