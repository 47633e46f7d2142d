/**
 * @module
 * An OTLP/HTTP receiver (SPEC 1.6): `POST /v1/logs` and `POST /v1/metrics` take both encodings
 * the OTLP/HTTP specification allows, JSON (`application/json`, what Claude Code sends with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) and protobuf (`application/x-protobuf`, the default of
 * the OpenTelemetry SDKs and of the Collector's `otlphttp` exporter), each plain or with
 * `Content-Encoding: gzip` (or `deflate`). Both are read by one parser, and answered as an OTLP
 * receiver answers, in the request's own encoding: 200 with a partial success saying what was
 * rejected, if anything; an error as buildcast's JSON error, or for protobuf as a
 * `google.rpc.Status`, which is what an exporter or a Collector decodes and logs.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { parseOtlpLogs, parseOtlpMetrics } from '../collector/otlp.js';
import type { OtlpSignal } from '../collector/otlp-protobuf.js';
import { decodeOtlpProtobuf, encodeOtlpResponse, encodeOtlpStatus } from '../collector/otlp-protobuf.js';
import type { Telemetry } from '../core/telemetry.js';
import { decodeContentEncoding, parseJsonBody, readBodyBytes } from './body.js';
import type { ErrorCode } from './errors.js';
import { ApiError } from './errors.js';

export interface OtlpDeps {
  telemetry: Telemetry;
  /** Largest request body in bytes (413 beyond it). */
  maxBodyBytes?: number;
  /** Source problems worth a log line (counted, never one per record). */
  log?: (line: string) => void;
}

/**
 * How much larger than the body limit a compressed body may grow once inflated. OTLP batches
 * compress about tenfold; what inflates beyond this is refused before it is held in memory.
 */
const INFLATED_BODY_FACTOR = 16;

const PROTOBUF = 'application/x-protobuf';

type Encoding = 'json' | 'protobuf';

/** Error codes for what {@link decodeContentEncoding} refuses (a protobuf Status carries only the message). */
const DECODE_ERROR: Record<400 | 413 | 415, ErrorCode> = {
  400: 'bad_json',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** The encoding named by `Content-Type`: protobuf, else JSON (also when unnamed, as curl sends it). */
function encodingOf(c: Context): Encoding {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.includes('protobuf')) return 'protobuf';
  if (type.includes('gzip')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'a gzip body is sent with its own Content-Type (application/json or application/x-protobuf) and Content-Encoding: gzip',
    );
  }
  return 'json';
}

/** Reads, inflates and decodes an export request into the OTLP JSON shape. */
async function readExport(
  c: Context,
  signal: OtlpSignal,
  encoding: Encoding,
  maxBytes: number,
): Promise<unknown> {
  const sent = await readBodyBytes(c, maxBytes);
  const body = await decodeContentEncoding(
    sent,
    c.req.header('content-encoding'),
    maxBytes * INFLATED_BODY_FACTOR,
  );
  if (!body.ok) throw new ApiError(body.status, DECODE_ERROR[body.status], body.problem);
  if (encoding === 'json') return parseJsonBody(body.bytes.toString('utf8'), 'OTLP body');
  const decoded = decodeOtlpProtobuf(signal, body.bytes);
  if (!decoded.ok) throw new ApiError(400, 'bad_fields', decoded.problem);
  return decoded.body;
}

const REJECTED_JSON = { logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' } as const;

/** The 200 answer: what was rejected, in the request's encoding. */
function accepted(c: Context, signal: OtlpSignal, encoding: Encoding, problems: readonly string[]): Response {
  const message = problems.slice(0, 5).join('; ');
  if (encoding === 'protobuf') {
    return c.body(encodeOtlpResponse(signal, problems.length, message), 200, { 'Content-Type': PROTOBUF });
  }
  if (problems.length === 0) return c.json({ partialSuccess: {} });
  return c.json({
    partialSuccess: { [REJECTED_JSON[signal]]: String(problems.length), errorMessage: message },
  });
}

export function createOtlpRoutes({ telemetry, log = () => {}, maxBodyBytes = 256 * 1024 }: OtlpDeps): Hono {
  const otlp = new Hono();

  /** One export: read, hand to `take` (which returns the problems found), answer. */
  const receive = async (c: Context, signal: OtlpSignal, take: (body: unknown) => string[]) => {
    let encoding: Encoding = 'json';
    try {
      encoding = encodingOf(c);
      const problems = take(await readExport(c, signal, encoding, maxBodyBytes));
      if (problems.length > 0) log(`OTLP ${signal}: ${problems.length} problem(s), first: ${problems[0]}`);
      return accepted(c, signal, encoding, problems);
    } catch (error) {
      if (encoding !== 'protobuf' || !(error instanceof ApiError)) throw error;
      return c.body(encodeOtlpStatus(error.message), error.status, { 'Content-Type': PROTOBUF });
    }
  };

  otlp.post('/logs', (c) =>
    receive(c, 'logs', (body) => {
      const parsed = parseOtlpLogs(body);
      telemetry.logs(parsed);
      return parsed.problems;
    }),
  );

  otlp.post('/metrics', (c) =>
    receive(c, 'metrics', (body) => {
      const parsed = parseOtlpMetrics(body);
      telemetry.metrics(parsed);
      return parsed.problems;
    }),
  );

  return otlp;
}
