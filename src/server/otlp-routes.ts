/**
 * @module
 * An OTLP/HTTP receiver for the JSON encoding (SPEC 1.6): `POST /v1/logs` and `POST /v1/metrics`
 * take what Claude Code exports with `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, and answer as an
 * OTLP receiver does: 200 with `{"partialSuccess":{}}` (saying what was rejected, if anything).
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { parseOtlpLogs, parseOtlpMetrics } from '../collector/otlp.js';
import type { Telemetry } from '../core/telemetry.js';
import { parseJsonBody, readBodyText } from './body.js';
import { ApiError } from './errors.js';

export interface OtlpDeps {
  telemetry: Telemetry;
  /** Largest request body in bytes (413 beyond it). */
  maxBodyBytes?: number;
  /** Source problems worth a log line (counted, never one per record). */
  log?: (line: string) => void;
}

/** Reads an OTLP JSON body; protobuf gets a 415 that says what to set instead. */
async function readOtlpJson(c: Context, maxBytes: number): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.includes('protobuf')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'buildcast receives OTLP over HTTP as JSON: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json',
    );
  }
  if (type.includes('gzip') || (c.req.header('content-encoding') ?? '').toLowerCase().includes('gzip')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'compressed OTLP is not accepted: unset OTEL_EXPORTER_OTLP_COMPRESSION',
    );
  }
  return parseJsonBody(await readBodyText(c, maxBytes), 'OTLP body');
}

function partialSuccess(
  rejected: number,
  problems: string[],
  kind: 'rejectedLogRecords' | 'rejectedDataPoints',
) {
  if (rejected === 0 && problems.length === 0) return { partialSuccess: {} };
  return { partialSuccess: { [kind]: String(rejected), errorMessage: problems.slice(0, 5).join('; ') } };
}

export function createOtlpRoutes({ telemetry, log = () => {}, maxBodyBytes = 256 * 1024 }: OtlpDeps): Hono {
  const otlp = new Hono();

  otlp.post('/logs', async (c) => {
    const parsed = parseOtlpLogs(await readOtlpJson(c, maxBodyBytes));
    telemetry.logs(parsed);
    if (parsed.problems.length > 0)
      log(`OTLP logs: ${parsed.problems.length} problem(s), first: ${parsed.problems[0]}`);
    return c.json(partialSuccess(parsed.problems.length, parsed.problems, 'rejectedLogRecords'));
  });

  otlp.post('/metrics', async (c) => {
    const parsed = parseOtlpMetrics(await readOtlpJson(c, maxBodyBytes));
    telemetry.metrics(parsed);
    if (parsed.problems.length > 0)
      log(`OTLP metrics: ${parsed.problems.length} problem(s), first: ${parsed.problems[0]}`);
    return c.json(partialSuccess(parsed.problems.length, parsed.problems, 'rejectedDataPoints'));
  });

  return otlp;
}
