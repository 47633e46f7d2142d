/**
 * @module
 * OpenTelemetry from Claude Code (SPEC 1.6), in the domain's words: `api_request` events count
 * like transcript lines; other events (api_error, tool_result, …) join the log tail of the build
 * they belong to; token and cost metrics, for sessions that send no events, become running totals
 * per session and model. Events are preferred to the 60 s metrics, never both: once a session's
 * events arrive, its metric totals are dropped. What the metrics have counted is kept across
 * restarts, so a cumulative counter read after one does not count from zero again.
 */
import type { OtlpEvent, OtlpLogsParse, OtlpMetricsParse } from '../collector/otlp.js';
import type { TokenSample } from '../collector/types.js';
import type { Clock } from '../shared/clock.js';
import type { LogBook } from './log-book.js';
import type { MetricsService } from './metrics-service.js';
import { OtlpMetricAccumulator, type OtlpUsageTotals } from './otlp-usage.js';
import type { StateStorage } from './storage.js';

/** Keys of the running totals made from OpenTelemetry metrics, per Claude session and model. */
const METRIC_KEY = 'otelm:';
/** Attributes that only repeat what the log line already says. */
const SAID_ALREADY = (key: string) => key.startsWith('event.') || key === 'session.id';

export interface TelemetryOptions {
  state: Pick<StateStorage, 'claudeWithEvents' | 'otlpUsage'>;
  metrics: MetricsService;
  logs: LogBook;
  clock: Clock;
}

export class Telemetry {
  readonly #o: TelemetryOptions;
  /** Claude Code sessions that send `api_request` events. */
  readonly #withEvents: Set<string>;
  readonly #usage = new OtlpMetricAccumulator();

  constructor(options: TelemetryOptions) {
    this.#o = options;
    this.#withEvents = new Set(options.state.claudeWithEvents.all().keys());
    for (const [sessionId, state] of options.state.otlpUsage.all()) this.#usage.restore(sessionId, state);
  }

  /** `POST /v1/logs`: request events as token samples, other events as log lines. */
  logs(parsed: OtlpLogsParse): void {
    if (parsed.samples.length > 0) this.#requests(parsed.samples);
    for (const event of parsed.events) this.#event(event);
  }

  /** `POST /v1/metrics`: running totals for the sessions these points are of. */
  metrics(parsed: OtlpMetricsParse): void {
    this.#usage.addAll(parsed.points);
    const touched = new Set<string>();
    for (const point of parsed.points) if (point.sessionId !== null) touched.add(point.sessionId);
    const samples: TokenSample[] = [];
    for (const sessionId of touched) {
      const state = this.#usage.state(sessionId);
      if (state) this.#o.state.otlpUsage.set(sessionId, state);
      if (!this.#withEvents.has(sessionId)) samples.push(...this.#usage.totalsFor(sessionId).map(toSample));
    }
    this.#o.metrics.replaceTotals(samples);
  }

  #requests(samples: readonly TokenSample[]): void {
    for (const sample of samples) {
      const id = sample.claudeSessionId;
      if (!id || this.#withEvents.has(id)) continue;
      this.#withEvents.add(id);
      this.#o.state.claudeWithEvents.set(id, true);
      this.#o.metrics.dropSamples(id, METRIC_KEY);
    }
    this.#o.metrics.ingest(samples);
  }

  #event(event: OtlpEvent): void {
    const sessionId = event.sessionId ? this.#o.metrics.sessionForClaude(event.sessionId) : undefined;
    if (!sessionId) return;
    const detail = Object.entries(event.attributes)
      .filter(([key]) => !SAID_ALREADY(key))
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    const level = event.name.endsWith('api_error') ? 'error' : 'info';
    this.#o.logs.append(
      sessionId,
      { text: `${event.name} ${detail}`.trim(), level },
      this.#o.clock.now(),
      'otel',
    );
  }
}

function toSample(t: OtlpUsageTotals): TokenSample {
  return {
    key: `${METRIC_KEY}${t.sessionId}:${t.model ?? 'unknown'}`,
    source: 'otel',
    claudeSessionId: t.sessionId,
    cwd: null,
    project: t.project,
    at: t.updatedAt,
    model: t.model ?? 'unknown',
    input: t.input,
    output: t.output,
    cacheRead: t.cacheRead,
    cacheWrite: t.cacheWrite,
    costUsd: t.costUsd,
    sidechain: false,
    summed: true,
  };
}
