/**
 * @module
 * The one content hash (SPEC 2 "Push only changes"): every session, metrics, agent and plan frame
 * is compared by it. It covers exactly what it is given, so nothing derived from the clock may be
 * in the value. Server side only (node:crypto); the browser never hashes.
 */
import { createHash } from 'node:crypto';

/** A short, stable hash of a JSON-serializable value. */
export function contentHash(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('base64url');
}
