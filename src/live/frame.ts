/**
 * @module
 * One published frame, serialized and hashed at most once however many clients of the hub get
 * it, in its plain or its redacted form (src/shared/redact-frames.ts).
 */
import type { ServerMessage } from '../shared/protocol.js';
import { contentHash } from '../shared/hash.js';
import { redactMessage } from '../shared/redact-frames.js';

/**
 * A frame as one kind of client gets it, its text and its change hash each worked out once per
 * publish however many clients get it. A redacted frame is compared by the hash of what it
 * shows, so a change only in what redaction hides is no change to its clients.
 */
export class Frame {
  readonly message: ServerMessage;
  #text: string | null = null;
  #hash: string | null;

  constructor(message: ServerMessage, hash: string | null = null) {
    this.message = message;
    this.#hash = hash;
  }

  static redacted(message: ServerMessage): Frame {
    return new Frame(redactMessage(message));
  }

  text(): string {
    return (this.#text ??= JSON.stringify(this.message));
  }

  hash(): string {
    return (this.#hash ??= contentHash(this.message));
  }
}
