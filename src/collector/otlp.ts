/**
 * @module
 * OpenTelemetry over HTTP as Claude Code exports it (SPEC 1.6). Pure: bodies in, typed values
 * and problems out.
 *
 * Shapes follow the OTLP JSON encoding: lowerCamelCase keys, 64-bit integers (`intValue`,
 * `asInt`, `*UnixNano`) as decimal strings, though exporters also send bare numbers. Protobuf
 * bodies arrive here in the same shape (otlp-protobuf.ts). Claude Code 2.x sends even its numeric
 * event attributes as `stringValue` ("input_tokens": "337"), so every number is read from a
 * string as well. An event's name is the record's `eventName` field (OTLP's newer home for it),
 * the `event.name` attribute ("api_request", sometimes prefixed) or the record body
 * ("claude_code.api_request").
 *
 * A build can be tied to its telemetry with resource attributes, e.g.
 * `OTEL_RESOURCE_ATTRIBUTES=buildcast.project=weather-app,buildcast.workdir=/srv/weather-app`.
 */
import { createHash } from 'node:crypto';
import type { Attrs, Obj, OtlpScalar } from './otlp-values.js';
import {
  Problems,
  decodeAny,
  decodeAttributes,
  eachNested,
  isObject,
  nanosToMs,
  readNumber,
  scalar,
  show,
  text,
  UNREADABLE,
} from './otlp-values.js';
import { truncateText } from './json-text.js';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH } from './limits.js';
import { requestKey } from './transcript.js';
import type { TokenSample } from './types.js';

export type { OtlpScalar } from './otlp-values.js';

/** A Claude Code event other than `api_request` (api_error, tool_result, user_prompt, …). */
export interface OtlpEvent {
  /** Qualified name, e.g. `claude_code.api_error`. */
  name: string;
  /** ms since epoch, from `event.timestamp`, else the record's time. */
  at: number;
  sessionId: string | null;
  project: string | null;
  /** The record's attributes, minus the account identifiers (user.email, user.id, …). */
  attributes: Record<string, OtlpScalar>;
}

export interface OtlpLogsParse {
  /** One per `claude_code.api_request`. */
  samples: TokenSample[];
  events: OtlpEvent[];
  /** `path: reason` per record that was skipped or field that was unreadable. */
  problems: string[];
  /** Log records that are not Claude Code events (other services behind a collector). */
  ignored: number;
}

export type OtlpTokenKind = 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'cost';

/** One data point of `claude_code.token.usage` (by type) or `claude_code.cost.usage`. */
export interface OtlpTokenPoint {
  sessionId: string | null;
  project: string | null;
  model: string | null;
  kind: OtlpTokenKind;
  /** Tokens, or US dollars for `cost`. */
  value: number;
  temporality: 'delta' | 'cumulative';
  /** ms since epoch; null when the exporter left it unset. */
  startAt: number | null;
  at: number;
}

export interface OtlpMetricsParse {
  points: OtlpTokenPoint[];
  problems: string[];
}

const TOKEN_METRIC = 'claude_code.token.usage';
const COST_METRIC = 'claude_code.cost.usage';
/** The `type` attribute of `claude_code.token.usage`; `cacheCreation` is a cache write. */
const TOKEN_TYPES = new Map<string, OtlpTokenKind>([
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cacheRead'],
  ['cacheCreation', 'cacheWrite'],
]);
/** Who ran the session is not needed to show what it did, and must not reach a stream. */
const IDENTITY_KEYS = new Set([
  'user.id',
  'user.email',
  'user.account_uuid',
  'user.account_id',
  'organization.id',
]);

/** An attribute as a name or id: text cut to {@link MAX_NAME_LENGTH} (or `max`). */
function nameOf(attrs: Attrs, key: string, max = MAX_NAME_LENGTH): string | null {
  const found = text(attrs, key);
  return found === null ? null : truncateText(found, max);
}

/** Reads an `ExportLogsServiceRequest` (`POST /v1/logs`). Never throws. */
export function parseOtlpLogs(body: unknown): OtlpLogsParse {
  const problems = new Problems();
  const samples: TokenSample[] = [];
  const events: OtlpEvent[] = [];
  let ignored = 0;
  eachNested(body, ['resourceLogs', 'scopeLogs', 'logRecords'], problems, (record, path, resource) => {
    if (!isObject(record)) return problems.add(path, 'expected a log record object');
    const attrs = decodeAttributes(record.attributes, `${path}.attributes`, problems);
    const bodyValue = record.body == null ? null : decodeAny(record.body, `${path}.body`, problems);
    const fromBody = typeof bodyValue === 'string' && bodyValue.startsWith('claude_code.') ? bodyValue : null;
    const rawName =
      eventNameOf(record) ??
      nameOf(attrs, 'event.name') ??
      (fromBody && truncateText(fromBody, MAX_NAME_LENGTH));
    if (rawName === null) return void ignored++;
    const name = `claude_code.${rawName.replace(/^claude_code\./, '')}`;
    const at = recordTime(record, attrs, path, problems);
    if (at === null) return;
    const either = (key: string, max?: number): string | null =>
      nameOf(attrs, key, max) ?? nameOf(resource, key, max);
    const sessionId = either('session.id');
    const project = either('buildcast.project');
    if (name !== 'claude_code.api_request') {
      // Built from a Map: an attribute named "__proto__" stays an attribute.
      const attributes = new Map<string, OtlpScalar>();
      for (const [key, value] of attrs) {
        if (!IDENTITY_KEYS.has(key) && value !== UNREADABLE) attributes.set(key, scalar(value));
      }
      events.push({ name, at, sessionId, project, attributes: Object.fromEntries(attributes) });
      return;
    }
    const sample = apiRequestSample(attrs, path, problems);
    if (sample === null) return;
    const { model, input, output, cacheRead, cacheWrite } = sample;
    const requestId = nameOf(attrs, 'request_id');
    const key =
      requestKey(requestId) ??
      `otel:${createHash('sha256')
        .update([sessionId ?? '', at, model, input, output, cacheRead, cacheWrite].join('|'))
        .digest('hex')
        .slice(0, 32)}`;
    samples.push({
      key,
      source: 'otel',
      claudeSessionId: sessionId,
      cwd: either('buildcast.workdir', MAX_PATH_LENGTH),
      project,
      at,
      ...sample,
      sidechain: false,
    });
  });
  return { samples, events, problems: problems.done(), ignored };
}

/** The record's own `eventName` (LogRecord field 12); null when absent or blank. */
function eventNameOf(record: Obj): string | null {
  const name = record.eventName;
  return typeof name === 'string' && name.trim() !== '' ? truncateText(name, MAX_NAME_LENGTH) : null;
}

/** `event.timestamp` (ms precision) first, then the record's own times; null (reported) when none. */
function recordTime(record: Obj, attrs: Attrs, path: string, problems: Problems): number | null {
  const stamp = text(attrs, 'event.timestamp');
  if (stamp !== null) {
    const parsed = Date.parse(stamp);
    if (Number.isFinite(parsed)) return parsed;
    problems.add(`${path}.attributes (event.timestamp)`, `not a date: ${show(stamp)}`);
  }
  const time = nanosToMs(record.timeUnixNano, `${path}.timeUnixNano`, problems);
  if (typeof time === 'number') return time;
  const observed = nanosToMs(record.observedTimeUnixNano, `${path}.observedTimeUnixNano`, problems);
  if (typeof observed === 'number') return observed;
  problems.add(path, 'no usable time (event.timestamp, timeUnixNano, observedTimeUnixNano); skipped');
  return null;
}

type RequestUsage = Pick<TokenSample, 'model' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'costUsd'>;

/** The usage of one `api_request`; null (reported) when any count is unreadable. */
function apiRequestSample(attrs: Attrs, path: string, problems: Problems): RequestUsage | null {
  const model = nameOf(attrs, 'model');
  let ok = model !== null;
  if (!ok) problems.add(path, 'api_request without a model; skipped');
  const read = (key: string, whole: boolean): number | null => {
    if (!attrs.has(key) || attrs.get(key) === null) return null;
    if (attrs.get(key) === UNREADABLE) {
      ok = false; // reported when the attribute was decoded
      return null;
    }
    const where = `${path}.attributes (${key})`;
    const value = readNumber(attrs.get(key), whole, where, problems);
    if (value !== undefined && value >= 0) return value;
    if (value !== undefined) problems.add(where, `expected a value of 0 or more, got ${value}`);
    ok = false;
    return null;
  };
  const usage = {
    model: model ?? '',
    input: read('input_tokens', true) ?? 0,
    output: read('output_tokens', true) ?? 0,
    cacheRead: read('cache_read_tokens', true) ?? 0,
    cacheWrite: read('cache_creation_tokens', true) ?? 0,
    costUsd: read('cost_usd', false),
  };
  return ok ? usage : null;
}

/** Reads an `ExportMetricsServiceRequest` (`POST /v1/metrics`); other metrics are passed over. */
export function parseOtlpMetrics(body: unknown): OtlpMetricsParse {
  const problems = new Problems();
  const points: OtlpTokenPoint[] = [];
  eachNested(body, ['resourceMetrics', 'scopeMetrics', 'metrics'], problems, (metric, path, resource) => {
    if (!isObject(metric)) return problems.add(path, 'expected a metric object');
    if (metric.name !== TOKEN_METRIC && metric.name !== COST_METRIC) return;
    const where = `${path} (${metric.name})`;
    const sum = metric.sum;
    if (!isObject(sum)) return problems.add(where, 'expected a "sum" (a counter); skipped');
    const temporality = readTemporality(sum.aggregationTemporality);
    if (temporality === null) {
      return problems.add(
        where,
        `aggregationTemporality ${show(sum.aggregationTemporality)} is neither delta (1) nor cumulative (2)`,
      );
    }
    if (sum.isMonotonic === false) {
      return problems.add(where, 'a non-monotonic sum cannot be totalled; skipped');
    }
    const dataPoints = sum.dataPoints ?? [];
    if (!Array.isArray(dataPoints)) return problems.add(`${where}.sum.dataPoints`, 'expected an array');
    dataPoints.forEach((dp, i) => {
      const dpPath = `${path}.sum.dataPoints[${i}]`;
      if (!isObject(dp)) return problems.add(dpPath, 'expected a data point object');
      if (typeof dp.flags === 'number' && (dp.flags & 1) === 1) return; // FLAG_NO_RECORDED_VALUE
      const attrs = decodeAttributes(dp.attributes, `${dpPath}.attributes`, problems);
      let kind: OtlpTokenKind | undefined = 'cost';
      if (metric.name === TOKEN_METRIC) {
        const type = text(attrs, 'type');
        kind = type === null ? undefined : TOKEN_TYPES.get(type);
        if (kind === undefined) return problems.add(dpPath, `unknown token type ${show(type)}; skipped`);
      }
      const field = dp.asInt !== undefined ? 'asInt' : dp.asDouble !== undefined ? 'asDouble' : null;
      if (field === null) return problems.add(dpPath, 'no asInt or asDouble value; skipped');
      const value = readNumber(dp[field], field === 'asInt', `${dpPath}.${field}`, problems);
      if (value === undefined) return;
      if (value < 0) return problems.add(dpPath, `a counter cannot be negative, got ${value}`);
      const at = nanosToMs(dp.timeUnixNano, `${dpPath}.timeUnixNano`, problems);
      if (at === null) problems.add(dpPath, 'no timeUnixNano; skipped');
      const startAt = nanosToMs(dp.startTimeUnixNano, `${dpPath}.startTimeUnixNano`, problems);
      if (typeof at !== 'number' || startAt === undefined) return;
      const either = (key: string): string | null => nameOf(attrs, key) ?? nameOf(resource, key);
      points.push({
        sessionId: either('session.id'),
        project: either('buildcast.project'),
        model: nameOf(attrs, 'model'),
        kind,
        value,
        temporality,
        startAt,
        at,
      });
    });
  });
  return { points, problems: problems.done() };
}

/** OTLP's enum as an integer, or (from lenient encoders) by name. */
function readTemporality(raw: unknown): OtlpTokenPoint['temporality'] | null {
  if (raw === 1 || raw === 'AGGREGATION_TEMPORALITY_DELTA') return 'delta';
  if (raw === 2 || raw === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 'cumulative';
  return null;
}
