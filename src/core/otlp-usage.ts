/**
 * @module
 * Totals per Claude Code session and model from a stream of OTLP token and cost points, for
 * sessions that send metrics but no `api_request` events. Where a session does send events,
 * prefer them: metrics arrive once a minute and would count the same requests twice.
 *
 * Delta points (Claude Code's own temporality) are summed; an exact repeat of the previous
 * point of a series (an exporter retrying a batch) is dropped. Cumulative points (what an
 * OpenTelemetry Collector's deltatocumulative or a Prometheus-style pipeline sends) are running
 * totals: the latest value per series counts, and when a value drops or the series' start
 * time moves on, the counter was reset (the process restarted), so what it had counted so far
 * is kept and counting resumes from the new value.
 *
 * A session's points name at most {@link MAX_MODELS} models; points of any further model are
 * counted under {@link OTHER_MODELS}, so hostile model names cannot grow the series without end
 * (as one series: for cumulative points of several such models, an approximation).
 *
 * What a session has counted is a plain value ({@link SessionUsageState}) so that it can be kept
 * across restarts: a cumulative counter read after a restart must not count from zero again.
 */
import { MAX_MODELS } from '../collector/limits.js';
import type { OtlpTokenKind, OtlpTokenPoint } from '../collector/otlp.js';

/** The model name points of a session's models beyond {@link MAX_MODELS} are counted under. */
export const OTHER_MODELS = 'other models';

/** What one session used of one model, according to its metrics. */
export interface OtlpUsageTotals {
  sessionId: string | null;
  /** The latest `buildcast.project` seen on the session's points. */
  project: string | null;
  model: string | null;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** US dollars; null when no cost point was seen for this session and model. */
  costUsd: number | null;
  /** Time of the latest point counted (ms since epoch). */
  updatedAt: number;
}

/** One counter of a session: a model's tokens of one kind, or its cost. */
export interface SeriesState {
  model: string | null;
  kind: OtlpTokenKind;
  cumulative: boolean;
  /** Delta: the running sum. Cumulative: what earlier runs of a reset counter counted. */
  carried: number;
  /** Cumulative only: the counter's latest value in its current run. */
  last: number;
  startAt: number | null;
  lastAt: number;
  /** Delta only: start and end time of the last point added, to drop a repeated batch. */
  lastWindow: string | null;
}

/** Everything a session's metrics have counted, as a value that can be stored. */
export interface SessionUsageState {
  series: SeriesState[];
  /** The latest `buildcast.project` per model. */
  projects: Array<[model: string | null, project: string]>;
}

interface SessionUsage {
  series: Map<string, SeriesState>;
  projects: Map<string | null, string>;
  models: Set<string | null>;
}

const seriesId = (model: string | null, kind: OtlpTokenKind, cumulative: boolean) =>
  JSON.stringify([model, kind, cumulative]);

/** Turns token and cost points into per-(session, model) totals. */
export class OtlpMetricAccumulator {
  readonly #sessions = new Map<string | null, SessionUsage>();

  /** Adds every point in order. */
  addAll(points: Iterable<OtlpTokenPoint>): void {
    for (const point of points) this.add(point);
  }

  /** Adds one point. Points older than the latest of a cumulative series are ignored. */
  add(point: OtlpTokenPoint): void {
    const usage = this.#usage(point.sessionId);
    const model = modelOf(usage, point.model);
    const cumulative = point.temporality === 'cumulative';
    if (point.project !== null) usage.projects.set(model, point.project);
    const id = seriesId(model, point.kind, cumulative);
    const series = usage.series.get(id);
    if (series === undefined) {
      usage.series.set(id, {
        model,
        kind: point.kind,
        cumulative,
        carried: cumulative ? 0 : point.value,
        last: cumulative ? point.value : 0,
        startAt: point.startAt,
        lastAt: point.at,
        lastWindow: `${point.startAt}:${point.at}`,
      });
      return;
    }
    if (!cumulative) {
      const window = `${point.startAt}:${point.at}`;
      if (window === series.lastWindow) return;
      series.carried += point.value;
      series.lastWindow = window;
      series.lastAt = Math.max(series.lastAt, point.at);
      return;
    }
    if (point.at < series.lastAt) return;
    const restarted = point.startAt !== null && series.startAt !== null && point.startAt > series.startAt;
    if (restarted || point.value < series.last) series.carried += series.last;
    series.last = point.value;
    series.lastAt = point.at;
    series.startAt = point.startAt ?? series.startAt;
  }

  /** Totals for every session and model seen, ordered by session then model. */
  totals(): OtlpUsageTotals[] {
    const ids = [...this.#sessions.keys()].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
    return ids.flatMap((id) => this.totalsFor(id));
  }

  /** Totals of one Claude Code session, one entry per model, ordered by model. */
  totalsFor(sessionId: string | null): OtlpUsageTotals[] {
    const usage = this.#sessions.get(sessionId);
    if (!usage) return [];
    const byModel = new Map<string | null, OtlpUsageTotals>();
    for (const series of usage.series.values()) {
      let totals = byModel.get(series.model);
      if (totals === undefined) {
        totals = {
          sessionId,
          project: usage.projects.get(series.model) ?? null,
          model: series.model,
          input: 0,
          output: 0,
          cacheRead: 0,
          cacheWrite: 0,
          costUsd: null,
          updatedAt: series.lastAt,
        };
        byModel.set(series.model, totals);
      }
      const value = series.carried + series.last;
      if (series.kind === 'cost') totals.costUsd = Math.round(((totals.costUsd ?? 0) + value) * 1e9) / 1e9;
      else totals[series.kind] += value;
      totals.updatedAt = Math.max(totals.updatedAt, series.lastAt);
    }
    return [...byModel.values()].sort((a, b) => (a.model ?? '').localeCompare(b.model ?? ''));
  }

  /** What a session has counted so far, to store; null when nothing was. */
  state(sessionId: string | null): SessionUsageState | null {
    const usage = this.#sessions.get(sessionId);
    if (!usage) return null;
    return { series: [...usage.series.values()].map((s) => ({ ...s })), projects: [...usage.projects] };
  }

  /** Takes back what a session had counted before a restart. */
  restore(sessionId: string | null, state: SessionUsageState): void {
    const usage: SessionUsage = { series: new Map(), projects: new Map(state.projects), models: new Set() };
    for (const series of state.series) {
      usage.series.set(seriesId(series.model, series.kind, series.cumulative), { ...series });
      // Every named model has a series; those counted as other models stay so after a restart.
      if (series.model !== OTHER_MODELS) usage.models.add(series.model);
    }
    this.#sessions.set(sessionId, usage);
  }

  /** Forgets a session (for example once it has ended and its totals are stored). */
  forget(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }

  #usage(sessionId: string | null): SessionUsage {
    let usage = this.#sessions.get(sessionId);
    if (usage === undefined) {
      usage = { series: new Map(), projects: new Map(), models: new Set() };
      this.#sessions.set(sessionId, usage);
    }
    return usage;
  }
}

/** The model a point is counted under: its own, or {@link OTHER_MODELS} past the cap. */
function modelOf(usage: SessionUsage, model: string | null): string | null {
  if (usage.models.has(model)) return model;
  if (usage.models.size >= MAX_MODELS) return OTHER_MODELS;
  usage.models.add(model);
  return model;
}
