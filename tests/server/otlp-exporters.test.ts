/**
 * The OpenTelemetry JS exporters themselves, pointed at a real buildcast: logs and metrics as
 * protobuf (`-proto`) and as JSON (`-http`), each gzipped and plain, give the same exact totals,
 * and every export is reported a success. A relay between them records what really went over the
 * wire, so each case is the encoding and compression it claims to be.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import type { ServerHandle } from '../../src/server/main.js';
import { phase, removeDir, startTestServer, tempDir } from '../helpers/server.js';

type Compression = NonNullable<NonNullable<ConstructorParameters<typeof ProtoLogExporter>[0]>['compression']>;
type ExportResult = Parameters<Parameters<LogRecordExporter['export']>[1]>[0];
/** `ExportResultCode.SUCCESS` of @opentelemetry/core. */
const SUCCESS = 0;

const SESSION = '6e2a8c02-aec9-4272-bcde-9843b25ad407';
const BUILD = 'weather-app-20261120T140000Z';
const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

interface Exchange {
  path: string;
  type: string;
  encoding: string;
  status: number;
  answerType: string;
}

/** Relays requests to buildcast unchanged, keeping what each one was and how it was answered. */
async function startRelay(
  target: string,
): Promise<{ url: string; seen: Exchange[]; close: () => Promise<void> }> {
  const seen: Exchange[] = [];
  const relay = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'content-encoding', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      void fetch(`${target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }).then(
        async (answer) => {
          const answerType = answer.headers.get('content-type') ?? '';
          seen.push({
            path: req.url ?? '',
            type: headers['content-type'] ?? '',
            encoding: headers['content-encoding'] ?? 'none',
            status: answer.status,
            answerType: answerType.split(';')[0]!,
          });
          res.writeHead(answer.status, { 'content-type': answerType });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
      );
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => relay.close(() => resolve())),
  };
}

/** Claude Code's resource, tied to the build by `OTEL_RESOURCE_ATTRIBUTES=buildcast.project=…`. */
const resource = () =>
  resourceFromAttributes({
    'service.name': 'claude-code',
    'service.version': '2.1.81',
    'buildcast.project': 'weather-app',
  });

const encodings = [
  { name: 'protobuf', type: PROTOBUF, Logs: ProtoLogExporter, Metrics: ProtoMetricExporter },
  { name: 'JSON', type: JSON_TYPE, Logs: JsonLogExporter, Metrics: JsonMetricExporter },
] as const;
const compressions: Array<{ name: Compression; sent: string }> = [
  { name: 'gzip' as Compression, sent: 'gzip' },
  { name: 'none' as Compression, sent: 'none' },
];
const cases = encodings.flatMap((encoding) => compressions.map((compression) => ({ encoding, compression })));

describe('OTLP from the OpenTelemetry JS exporters', () => {
  let server: ServerHandle | null = null;
  let relay: Awaited<ReturnType<typeof startRelay>> | null = null;
  let root = '';
  afterEach(async () => {
    await relay?.close();
    await server?.close();
    removeDir(root);
  });

  async function start(token: string | null = null): Promise<{ url: string; seen: Exchange[] }> {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db'), token });
    relay = await startRelay(server.url);
    return relay;
  }

  async function metricsOf(id: string, token?: string): Promise<SessionMetrics> {
    server!.metrics.flush();
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const answer = await fetch(`${server!.url}/api/sessions/${id}/metrics`, { headers });
    return (await answer.json()) as SessionMetrics;
  }

  /** Claude Code's events through a real LoggerProvider; resolves with each export's result. */
  async function exportEvents(exporter: LogRecordExporter): Promise<ExportResult[]> {
    const results: ExportResult[] = [];
    const recording: LogRecordExporter = {
      export: (records, done) =>
        exporter.export(records, (result) => {
          results.push(result);
          done(result);
        }),
      forceFlush: () => exporter.forceFlush(),
      shutdown: () => exporter.shutdown(),
    };
    const provider = new LoggerProvider({
      resource: resource(),
      processors: [new BatchLogRecordProcessor({ exporter: recording })],
    });
    const logger = provider.getLogger('com.anthropic.claude_code.events', '2.1.81');
    const common = { 'session.id': SESSION, 'terminal.type': 'vscode', 'user.email': 'dev@example.com' };
    // Claude Code 2.x: numbers as strings, the name in the body and in event.name.
    logger.emit({
      body: 'claude_code.api_request',
      severityNumber: SeverityNumber.INFO,
      attributes: {
        ...common,
        'event.name': 'api_request',
        'event.timestamp': '2026-11-20T14:05:12.345Z',
        model: 'claude-sonnet-4-5-20250929',
        input_tokens: '12',
        output_tokens: '845',
        cache_read_tokens: '18230',
        cache_creation_tokens: '2210',
        cost_usd: '0.0264675',
        duration_ms: '8123',
      },
    });
    // Numbers as numbers, and a request id.
    logger.emit({
      body: 'claude_code.api_request',
      attributes: {
        ...common,
        'event.name': 'claude_code.api_request',
        'event.timestamp': '2026-11-20T14:05:31.020Z',
        model: 'claude-opus-4-6',
        request_id: 'req_011CVx3k9dP2mT8qWn4Lb7Ya',
        input_tokens: 6,
        output_tokens: 1290,
        cache_read_tokens: 40116,
        cache_creation_tokens: 512,
        cost_usd: 0.055538,
        duration_ms: 14870,
      },
    });
    // Named only by the record's eventName, timed only by the record itself.
    logger.emit({
      eventName: 'claude_code.api_request',
      timestamp: new Date('2026-11-20T14:05:40.000Z'),
      attributes: {
        ...common,
        model: 'claude-haiku-4-5-20251001',
        input_tokens: '300',
        output_tokens: '120',
        cache_read_tokens: '0',
        cache_creation_tokens: '1024',
        cost_usd: '0.00214',
      },
    });
    logger.emit({
      eventName: 'claude_code.api_error',
      timestamp: new Date('2026-11-20T14:06:02.500Z'),
      attributes: { ...common, model: 'claude-opus-4-6', status_code: '529', error: 'overloaded_error' },
    });
    await provider.forceFlush();
    await provider.shutdown();
    return results;
  }

  describe.each(cases)(
    'logs as $encoding.name, compression $compression.name',
    ({ encoding, compression }) => {
      it('count every api_request exactly once, the one named only by eventName too', async () => {
        const { url, seen } = await start();
        const build = {
          session_id: 'weather-app',
          started_at: '2026-11-20T14:00:00Z',
          current_phase: 'Builder',
        };
        await fetch(`${server!.url}/api/phase-update`, {
          method: 'POST',
          headers: { 'Content-Type': JSON_TYPE },
          body: JSON.stringify(phase({ ...build, phase_number: '3/7', status: 'building' })),
        });

        const results = await exportEvents(
          new encoding.Logs({ url: `${url}/v1/logs`, compression: compression.name }),
        );
        expect(results.map((result) => result.code)).toEqual([SUCCESS]);
        expect(seen).toEqual([
          {
            path: '/v1/logs',
            type: encoding.type,
            encoding: compression.sent,
            status: 200,
            answerType: encoding.type,
          },
        ]);

        const { tokens } = await metricsOf(BUILD);
        expect(tokens).toMatchObject({
          input: 318,
          output: 2_255,
          cacheRead: 58_346,
          cacheWrite: 3_746,
          requests: 3,
        });
        expect(tokens.costUsd).toBeCloseTo(0.0264675 + 0.055538 + 0.00214, 9);
        const detail = (await (await fetch(`${server!.url}/api/sessions/${BUILD}`)).json()) as {
          logs: Array<{ level: string; text: string }>;
        };
        const errors = detail.logs.filter((line) => line.level === 'error');
        expect(errors.map((line) => line.text)).toEqual([expect.stringContaining('claude_code.api_error')]);
        expect(errors[0]!.text).toContain('status_code=529');
        expect(errors[0]!.text).not.toContain('dev@example.com');
      });
    },
  );

  /** Claude Code's two counters through a real MeterProvider, exported twice. */
  async function exportCounters(exporter: PushMetricExporter): Promise<ExportResult[]> {
    const results: ExportResult[] = [];
    const recording: PushMetricExporter = {
      export: (metrics, done) =>
        exporter.export(metrics, (result) => {
          results.push(result);
          done(result);
        }),
      forceFlush: () => exporter.forceFlush(),
      shutdown: () => exporter.shutdown(),
      selectAggregationTemporality: (kind) => exporter.selectAggregationTemporality!(kind),
    };
    const reader = new PeriodicExportingMetricReader({
      exporter: recording,
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({ resource: resource(), readers: [reader] });
    const meter = provider.getMeter('com.anthropic.claude_code', '2.1.81');
    const tokens = meter.createCounter('claude_code.token.usage', { unit: 'tokens' });
    const cost = meter.createCounter('claude_code.cost.usage', { unit: 'USD' });
    const series = { 'session.id': SESSION, model: 'claude-opus-4-6' };
    tokens.add(1_200, { ...series, type: 'input' });
    tokens.add(340, { ...series, type: 'output' });
    tokens.add(50_000, { ...series, type: 'cacheRead' });
    tokens.add(2_048, { ...series, type: 'cacheCreation' });
    cost.add(0.4321, series);
    await reader.forceFlush();
    tokens.add(100, { ...series, type: 'input' });
    tokens.add(60, { ...series, type: 'output' });
    cost.add(0.05, series);
    await reader.forceFlush();
    await provider.shutdown();
    return results;
  }

  const temporalities = [
    { name: 'delta', preference: AggregationTemporalityPreference.DELTA },
    { name: 'cumulative', preference: AggregationTemporalityPreference.CUMULATIVE },
  ];
  const metricCases = cases.flatMap((c) => temporalities.map((temporality) => ({ ...c, temporality })));

  describe.each(metricCases)(
    'metrics as $encoding.name, compression $compression.name, $temporality.name',
    ({ encoding, compression, temporality }) => {
      it('total the counters exactly, across two exports', async () => {
        const { url, seen } = await start();
        const results = await exportCounters(
          new encoding.Metrics({
            url: `${url}/v1/metrics`,
            compression: compression.name,
            temporalityPreference: temporality.preference,
          }),
        );
        expect(results.length).toBeGreaterThanOrEqual(2);
        expect(results.every((result) => result.code === SUCCESS)).toBe(true);
        expect(seen.length).toBe(results.length);
        for (const exchange of seen) {
          expect(exchange).toEqual({
            path: '/v1/metrics',
            type: encoding.type,
            encoding: compression.sent,
            status: 200,
            answerType: encoding.type,
          });
        }

        server!.metrics.flush();
        const own = server!.registry.list({ project: 'weather-app' }).sessions;
        expect(own).toHaveLength(1);
        const { tokens } = await metricsOf(own[0]!.id);
        expect(tokens).toMatchObject({ input: 1_300, output: 400, cacheRead: 50_000, cacheWrite: 2_048 });
        expect(tokens.costUsd).toBeCloseTo(0.4821, 9);
      });
    },
  );

  it('sends with --token when the exporter carries the Authorization header, and fails without it', async () => {
    const { url, seen } = await start('s3cret');
    const send = (headers: Record<string, string>) =>
      exportCounters(
        new ProtoMetricExporter({ url: `${url}/v1/metrics`, compression: 'gzip' as Compression, headers }),
      );
    const refused = await send({});
    expect(refused.map((result) => result.code)).not.toContain(SUCCESS);
    expect(seen.map((exchange) => exchange.status)).toContain(401);
    const sent = await send({ Authorization: 'Bearer s3cret' });
    expect(sent.every((result) => result.code === SUCCESS)).toBe(true);
    server!.metrics.flush();
    const own = server!.registry.list({ project: 'weather-app' }).sessions[0]!;
    expect((await metricsOf(own.id, 's3cret')).tokens).toMatchObject({ input: 1_300, output: 400 });
  });
});
