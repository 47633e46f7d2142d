/**
 * @module
 * Request bodies for the ingest routes, read straight from Node's request stream with a size
 * limit (SPEC 4: 413 beyond it). This skips building a web `ReadableStream` per request, which
 * was the largest single cost of a push.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ApiError } from './errors.js';

/** The body as UTF-8 text; a body over `maxBytes` is refused with a 413 and its connection closed. */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  const tooLarge = () => {
    // The rest of the body is never read, so this connection cannot carry another request.
    c.header('Connection', 'close');
    return new ApiError(
      413,
      'payload_too_large',
      `request body is over the ${Math.round(maxBytes / 1024)} KB limit`,
    );
  };
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
    return text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}
