/**
 * @module
 * How long a live socket may stay silent before the page calls it dead: a few of the server's
 * heartbeats, as `hello` announces their interval (`--heartbeat`). Pure, so it is tested in Node.
 */

/** The server's default `--heartbeat`, for a `hello` that does not say. */
export const DEFAULT_HEARTBEAT_MS = 5_000;
/** Heartbeats that may go missing before the connection counts as dead. */
const MISSED_HEARTBEATS = 3;
/**
 * Never sooner than this, however fast the server beats: the page checks once a second, and a
 * busy network or a throttled tab can hold frames back for a few seconds without anything wrong.
 */
export const MIN_DEAD_AFTER_MS = 5_000;

/** Silence (ms) after which a socket is dead, for a server that beats every `heartbeatMs`. */
export function deadAfterMs(heartbeatMs: unknown): number {
  const interval =
    typeof heartbeatMs === 'number' && Number.isFinite(heartbeatMs) && heartbeatMs > 0
      ? heartbeatMs
      : DEFAULT_HEARTBEAT_MS;
  return Math.max(MIN_DEAD_AFTER_MS, MISSED_HEARTBEATS * interval);
}
