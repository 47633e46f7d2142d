/**
 * @module
 * Real token, cost, context and test figures of a session (SPEC 4 `/api/sessions/:id/metrics`),
 * as the `metrics` frame and the JSON API carry them. Part of the wire protocol (./protocol.ts).
 */

/** Token counts of one kind of slice (a whole session, a phase, a model, a time bucket). */
export interface TokenCounts {
  input: number;
  output: number;
  /** Tokens read from the prompt cache. */
  cacheRead: number;
  /** Tokens written to the prompt cache. */
  cacheWrite: number;
  /** input + output + cacheRead + cacheWrite. */
  total: number;
  /** US dollars; null when any request in the slice used a model with no known price. */
  costUsd: number | null;
  /** API requests counted (each message id + request id once). */
  requests: number;
}

/**
 * Adds one slice's counts into another (a phase run twice, the models past the cap, a run's
 * phases): the sum's cost is unknown as soon as either side's is.
 */
export function addTokenCounts(into: TokenCounts, from: TokenCounts): void {
  into.input += from.input;
  into.output += from.output;
  into.cacheRead += from.cacheRead;
  into.cacheWrite += from.cacheWrite;
  into.total += from.total;
  into.requests += from.requests;
  into.costUsd = into.costUsd === null || from.costUsd === null ? null : into.costUsd + from.costUsd;
}

export interface PhaseTokens extends TokenCounts {
  /** Phase name, or null for requests outside any phase of the session. */
  phase: string | null;
}

export interface ModelTokens extends TokenCounts {
  model: string;
  /** False when buildcast has no price for this model (its cost is then unknown, never guessed). */
  priced: boolean;
}

/** Tokens used within one time bucket (not cumulative), for the chart over time. */
export interface TokenPoint {
  /** ISO start of the bucket. */
  at: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type ContextLevel = 'safe' | 'warning' | 'critical';

/** One test-fix iteration's result (SPEC 1.4 test-results-iteration-N.md). */
export interface TestIteration {
  iteration: number;
  passed: number | null;
  failed: number | null;
  /** Names of failing tests, when the results file lists them. */
  failing: string[];
}

/** Real token, cost, context and test figures of a session (SPEC 4 `/api/sessions/:id/metrics`). */
export interface SessionMetrics {
  sessionId: string;
  tokens: TokenCounts & {
    byPhase: PhaseTokens[];
    byModel: ModelTokens[];
    series: TokenPoint[];
    /** Bucket width of `series` in milliseconds. */
    bucketMs: number;
    /** Part of the totals used by subagents (transcript sidechains). */
    subagent: TokenCounts;
  };
  context: {
    /** The latest request's input + cache tokens. */
    usedTokens: number | null;
    limit: number | null;
    percent: number | null;
    level: ContextLevel | null;
    model: string | null;
  };
  tests: {
    iterations: TestIteration[];
    /** The current iteration (test-iteration-count.txt or the phase file). */
    current: number | null;
    /** Failing tests that have failed in each of the last three (or more) iterations. */
    stuck: string[];
  };
}
