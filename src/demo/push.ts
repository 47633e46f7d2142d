/**
 * @module
 * Sends a simulated build's agents and output to a buildcast server the way a build on another
 * machine would: `POST /api/agent-update` (SPEC 1.7) and `POST /api/broadcast/:id` (SPEC 1.2).
 * Pushes go out one at a time in the order the build made them, without holding the build up;
 * one that fails is counted and reported, never thrown.
 */
import type { Clock } from '../shared/clock.js';
import type { AgentUpdateBody } from './activity-events.js';
import { sleep } from './wait.js';

/** Where to push, and how. */
export interface PushTarget {
  /** The server's base URL, such as `http://127.0.0.1:8080`. */
  url: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Sent as `Authorization: Bearer <token>`, for a server that requires one for ingest. */
  token?: string;
  /**
   * Push output lines to `/api/broadcast` (default true). A server that also reads the build's
   * event log gets every line from there too; false shows each line once.
   */
  lines?: boolean;
}

/** One push that did not reach the server, or that the server refused. */
export interface PushFailure {
  /** The path it was sent to, such as `/api/agent-update`. */
  path: string;
  /** Why: the server's status and error, or the network error. */
  reason: string;
}

/** How the pushes of a run went. */
export interface PushStats {
  sent: number;
  failed: number;
  /** The first failure, so a caller can say why without logging every one. */
  firstFailure: PushFailure | null;
}

/** A request that takes longer than this is abandoned: a stuck server must not stall the demo. */
const PUSH_TIMEOUT_MS = 5_000;

/**
 * A server answers 404 for a session it has not seen yet: the first lines of a build can reach it
 * before its watcher has read the build's first phase file. Such a push is tried again this many
 * times, this far apart (on the build's clock), before it counts as failed.
 */
const NOT_FOUND_RETRIES = 3;
const NOT_FOUND_RETRY_MS = 500;

interface PushRequest {
  path: string;
  contentType: string;
  body: string;
}

/** An ordered queue of pushes to one server. */
export class Pusher {
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;
  readonly #lines: boolean;
  readonly #clock: Clock;
  readonly #signal: AbortSignal | undefined;
  readonly #onFailure: ((failure: PushFailure) => void) | undefined;
  readonly #stats: PushStats = { sent: 0, failed: 0, firstFailure: null };
  #tail: Promise<void> = Promise.resolve();

  constructor(
    target: PushTarget,
    clock: Clock,
    signal?: AbortSignal,
    onFailure?: (failure: PushFailure) => void,
  ) {
    this.#clock = clock;
    this.#base = target.url.replace(/\/+$/, '');
    this.#fetch = target.fetch ?? fetch;
    this.#headers = target.token ? { authorization: `Bearer ${target.token}` } : {};
    this.#lines = target.lines ?? true;
    this.#signal = signal;
    this.#onFailure = onFailure;
  }

  /** Queues an agent's state for `/api/agent-update`. */
  agent(body: AgentUpdateBody): void {
    this.#enqueue({ path: '/api/agent-update', contentType: 'application/json', body: JSON.stringify(body) });
  }

  /** Queues one line of output for `/api/broadcast/<project>`, as plain text (unless `lines` is false). */
  log(project: string, text: string): void {
    if (!this.#lines) return;
    const path = `/api/broadcast/${encodeURIComponent(project)}`;
    this.#enqueue({ path, contentType: 'text/plain; charset=utf-8', body: text });
  }

  /** Resolves once every queued push has been sent or has failed (or was dropped on abort). */
  async drain(): Promise<PushStats> {
    await this.#tail;
    return { ...this.#stats };
  }

  #enqueue(request: PushRequest): void {
    this.#tail = this.#tail.then(() => this.#send(request));
  }

  async #send(request: PushRequest): Promise<void> {
    let reason = '';
    for (let attempt = 0; attempt <= NOT_FOUND_RETRIES; attempt++) {
      // Once the run is stopped, what is still queued is old news.
      if (this.#signal?.aborted) return;
      if (attempt > 0 && !(await sleep(this.#clock, NOT_FOUND_RETRY_MS, this.#signal))) return;
      const outcome = await this.#post(request);
      if (outcome === 'sent') {
        this.#stats.sent++;
        return;
      }
      if (outcome === 'aborted') return;
      reason = outcome.reason;
      if (!outcome.notFound) break;
    }
    this.#stats.failed++;
    const failure = { path: request.path, reason };
    this.#stats.firstFailure ??= failure;
    this.#onFailure?.(failure);
  }

  async #post(request: PushRequest): Promise<'sent' | 'aborted' | { reason: string; notFound: boolean }> {
    const timeout = AbortSignal.timeout(PUSH_TIMEOUT_MS);
    const signal = this.#signal ? AbortSignal.any([this.#signal, timeout]) : timeout;
    try {
      const response = await this.#fetch(`${this.#base}${request.path}`, {
        method: 'POST',
        headers: { 'content-type': request.contentType, ...this.#headers },
        body: request.body,
        signal,
      });
      const text = await response.text();
      if (response.ok) return 'sent';
      const reason = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      return { reason, notFound: response.status === 404 };
    } catch (error) {
      return this.#signal?.aborted ? 'aborted' : { reason: describeError(error), notFound: false };
    }
  }
}

/** `fetch failed` says nothing; its cause ("connect ECONNREFUSED 127.0.0.1:9") says why. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : null;
  return cause ? `${error.message}: ${cause}` : error.message;
}
