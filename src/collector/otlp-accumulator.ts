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
 */
import { MAX_MODELS } from './limits.js';
import type { OtlpTokenKind, OtlpTokenPoint } from './otlp.js';

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

interface Series {
  sessionId: string | null;
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

/** Turns token and cost points into per-(session, model) totals. */
export class OtlpMetricAccumulator {
  readonly #series = new Map<string, Series>();
  readonly #projects = new Map<string, string>();
  /** The models each session's points have named, up to {@link MAX_MODELS}. */
  readonly #models = new Map<string | null, Set<string | null>>();

  /** Adds every point in order. */
  addAll(points: Iterable<OtlpTokenPoint>): void {
    for (const point of points) this.add(point);
  }

  /** The model a point is counted under: its own, or {@link OTHER_MODELS} past the cap. */
  #modelOf(point: OtlpTokenPoint): string | null {
    let models = this.#models.get(point.sessionId);
    if (models === undefined) {
      models = new Set();
      this.#models.set(point.sessionId, models);
    }
    if (models.has(point.model)) return point.model;
    if (models.size >= MAX_MODELS) return OTHER_MODELS;
    models.add(point.model);
    return point.model;
  }

  /** Adds one point. Points older than the latest of a cumulative series are ignored. */
  add(original: OtlpTokenPoint): void {
    const point = { ...original, model: this.#modelOf(original) };
    const cumulative = point.temporality === 'cumulative';
    const id = JSON.stringify([point.sessionId, point.model, point.kind, cumulative]);
    if (point.project !== null)
      this.#projects.set(JSON.stringify([point.sessionId, point.model]), point.project);
    const series = this.#series.get(id);
    if (series === undefined) {
      this.#series.set(id, {
        sessionId: point.sessionId,
        model: point.model,
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
    const byPair = new Map<string, OtlpUsageTotals>();
    for (const series of this.#series.values()) {
      const pair = JSON.stringify([series.sessionId, series.model]);
      let totals = byPair.get(pair);
      if (totals === undefined) {
        totals = {
          sessionId: series.sessionId,
          project: this.#projects.get(pair) ?? null,
          model: series.model,
          input: 0,
          output: 0,
          cacheRead: 0,
          cacheWrite: 0,
          costUsd: null,
          updatedAt: series.lastAt,
        };
        byPair.set(pair, totals);
      }
      const value = series.carried + series.last;
      if (series.kind === 'cost') totals.costUsd = Math.round(((totals.costUsd ?? 0) + value) * 1e9) / 1e9;
      else totals[series.kind] += value;
      totals.updatedAt = Math.max(totals.updatedAt, series.lastAt);
    }
    const order = (a: string | null, b: string | null): number => (a ?? '').localeCompare(b ?? '');
    return [...byPair.values()].sort((a, b) => order(a.sessionId, b.sessionId) || order(a.model, b.model));
  }

  /** Totals of one Claude Code session, one entry per model. */
  totalsFor(sessionId: string): OtlpUsageTotals[] {
    return this.totals().filter((totals) => totals.sessionId === sessionId);
  }

  /** Forgets a session (for example once it has ended and its totals are stored). */
  forget(sessionId: string): void {
    this.#models.delete(sessionId);
    for (const [id, series] of this.#series) if (series.sessionId === sessionId) this.#series.delete(id);
    for (const pair of this.#projects.keys())
      if (JSON.parse(pair)[0] === sessionId) this.#projects.delete(pair);
  }
}
