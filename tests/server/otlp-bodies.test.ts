/**
 * OTLP bodies in every content coding, and bodies that cannot be read, posted to a real server:
 * what can be read is counted exactly, what cannot gets the status an exporter understands
 * (400, 413, 415) with a message, in the request's own encoding, and loses nothing known.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { otlpSchema } from '../../src/collector/otlp-protobuf.js';
import type { SessionMetrics } from '../../src/shared/metrics.js';
import type { ServerHandle } from '../../src/server/main.js';
import { phase, removeDir, startTestServer, tempDir } from '../helpers/server.js';

const PROTOBUF = 'application/x-protobuf';
const BUILD = 'weather-app-20261120T140000Z';
const logsJson = readFileSync(
  path.resolve(import.meta.dirname, '../fixtures/otlp/logs-claude-code.json'),
  'utf8',
);

const type = (name: string) => otlpSchema.lookupType(`otlp.${name}`);
/** The fixture as an exporter writes it in protobuf, with the receiver's own schema. */
const logsProtobuf = (): Buffer => {
  const request = type('ExportLogsServiceRequest');
  return Buffer.from(request.encode(request.fromObject(JSON.parse(logsJson) as object)).finish());
};
const decode = (name: string, bytes: Uint8Array) =>
  type(name).toObject(type(name).decode(bytes), { longs: String });

describe('OTLP bodies', () => {
  let server: ServerHandle | null = null;
  let root = '';
  afterEach(async () => {
    await server?.close();
    removeDir(root);
  });

  async function start(): Promise<ServerHandle> {
    root = tempDir();
    server = await startTestServer({ db: path.join(root, 'b.db') });
    const build = phase({
      session_id: 'weather-app',
      started_at: '2026-11-20T14:00:00Z',
      current_phase: 'Builder',
    });
    await post('/api/phase-update', JSON.stringify(build), { 'Content-Type': 'application/json' });
    return server;
  }

  async function post(route: string, body: string | Buffer, headers: Record<string, string>) {
    const answer = await fetch(`${server!.url}${route}`, { method: 'POST', headers, body });
    return {
      status: answer.status,
      type: answer.headers.get('content-type') ?? '',
      bytes: Buffer.from(await answer.arrayBuffer()),
    };
  }

  async function requests(): Promise<number> {
    server!.metrics.flush();
    const metrics = (await (
      await fetch(`${server!.url}/api/sessions/${BUILD}/metrics`)
    ).json()) as SessionMetrics;
    return metrics.tokens.requests;
  }

  it.each([
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['deflate', zlib.deflateRawSync],
  ])('reads JSON and protobuf sent with Content-Encoding: %s', async (coding, compress) => {
    await start();
    const json = await post('/v1/logs', compress(logsJson), {
      'Content-Type': 'application/json',
      'Content-Encoding': coding,
    });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual({ partialSuccess: {} });
    expect(await requests()).toBe(2);
    const proto = await post('/v1/logs', compress(logsProtobuf()), {
      'Content-Type': PROTOBUF,
      'Content-Encoding': coding,
    });
    expect(proto).toMatchObject({ status: 200, type: PROTOBUF });
    expect(proto.bytes).toHaveLength(0); // nothing rejected: partial_success left unset
    expect(await requests()).toBe(2);
  });

  it('answers a protobuf body with rejected records in an ExportLogsServiceResponse', async () => {
    await start();
    const request = type('ExportLogsServiceRequest');
    const record = {
      eventName: 'claude_code.api_request',
      timeUnixNano: '1795183512345000000',
      attributes: [],
    };
    const body = request
      .encode(request.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] }))
      .finish();
    const answer = await post('/v1/logs', Buffer.from(body), { 'Content-Type': PROTOBUF });
    expect(answer).toMatchObject({ status: 200, type: PROTOBUF });
    expect(decode('ExportLogsServiceResponse', answer.bytes)).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: 'resourceLogs[0].scopeLogs[0].logRecords[0]: api_request without a model; skipped',
      },
    });
  });

  it('refuses a truncated protobuf body with 400 and a google.rpc.Status saying why, keeping what was counted', async () => {
    await start();
    await post('/v1/logs', logsJson, { 'Content-Type': 'application/json' });
    const whole = logsProtobuf();
    const answer = await post('/v1/logs', whole.subarray(0, whole.length - 25), { 'Content-Type': PROTOBUF });
    expect(answer).toMatchObject({ status: 400, type: PROTOBUF });
    expect(decode('Status', answer.bytes)).toEqual({
      message: expect.stringMatching(
        /^not a protobuf ExportLogsServiceRequest: index out of range/,
      ) as unknown,
    });
    expect(await requests()).toBe(2);
  });

  it('refuses a gzip bomb with 413 before it is inflated past 16 times the body limit', async () => {
    await start();
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const json = await post('/v1/metrics', bomb, {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expect(json.status).toBe(413);
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual({
      error: { code: 'payload_too_large', message: 'request body inflates to more than the 4096 KB limit' },
    });
    const proto = await post('/v1/metrics', bomb, { 'Content-Type': PROTOBUF, 'Content-Encoding': 'gzip' });
    expect(proto).toMatchObject({ status: 413, type: PROTOBUF });
    expect(decode('Status', proto.bytes)).toEqual({
      message: 'request body inflates to more than the 4096 KB limit',
    });
    expect((await fetch(`${server!.url}/api/health`)).status).toBe(200);
  });

  it('refuses a content coding it does not know with 415, and a corrupt one with 400', async () => {
    await start();
    const brotli = await post('/v1/logs', zlib.brotliCompressSync(logsJson), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'br',
    });
    expect(brotli.status).toBe(415);
    expect(JSON.parse(brotli.bytes.toString('utf8'))).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'Content-Encoding "br" is not supported: send gzip, deflate or none',
      },
    });
    const zstd = await post('/v1/metrics', logsProtobuf(), {
      'Content-Type': PROTOBUF,
      'Content-Encoding': 'zstd',
    });
    expect(zstd).toMatchObject({ status: 415, type: PROTOBUF });
    expect(decode('Status', zstd.bytes)).toMatchObject({
      message: expect.stringContaining('"zstd" is not supported'),
    });

    const corrupt = await post('/v1/logs', logsJson, {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.bytes.toString('utf8')).toContain(
      'request body is not valid gzip: incorrect header check',
    );
    const gzipType = await post('/v1/logs', zlib.gzipSync(logsJson), { 'Content-Type': 'application/gzip' });
    expect(gzipType.status).toBe(415);
    expect(await requests()).toBe(0);
  });
});
