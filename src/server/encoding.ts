/**
 * @module
 * Bodies as they go over the wire: compressed with Node's own zlib (brotli or gzip, whichever the
 * request's `Accept-Encoding` prefers), and for files that do not change while the server runs,
 * tagged with an ETag so a browser revalidating its copy gets an empty 304.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A content coding buildcast sends. */
export type Coding = 'br' | 'gzip' | 'identity';

/** Bodies smaller than this go as they are: compressing them saves less than the headers cost. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * The coding to answer with: brotli, then gzip, when the request accepts them (`q` above zero);
 * otherwise the body as it is. Unknown and malformed entries are ignored.
 */
export function chooseCoding(acceptEncoding: string | null | undefined): Coding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const entry of acceptEncoding.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (name: string): number => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weightOf('br') > 0) return 'br';
  if (weightOf('gzip') > 0) return 'gzip';
  return 'identity';
}

/**
 * `bytes` in the coding. `effort` is `max` for files compressed once and kept, `fast` for pages
 * drawn per request.
 */
export function encode(bytes: Uint8Array, coding: Coding, effort: 'fast' | 'max'): Uint8Array<ArrayBuffer> {
  switch (coding) {
    case 'identity':
      return new Uint8Array(bytes);
    case 'gzip':
      return new Uint8Array(gzipSync(bytes, { level: effort === 'max' ? 9 : 6 }));
    case 'br':
      return new Uint8Array(
        brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: effort === 'max' ? 11 : 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
          },
        }),
      );
  }
}

/** A strong ETag for the content, different for each coding of it (RFC 9110 §8.8.3). */
export function etagOf(bytes: Uint8Array, coding: Coding): string {
  const digest = createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
  return coding === 'identity' ? `"${digest}"` : `"${digest}-${coding}"`;
}

/** Whether an `If-None-Match` header names this ETag (or `*`); weak tags compare equal too. */
export function matchesEtag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A body ready to send: its bytes in the chosen coding and the headers that say so. */
export interface EncodedBody {
  body: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

/**
 * A body drawn for this request (a page or fragment), compressed when it is worth it. Responses
 * vary by `Accept-Encoding` whether or not this one was compressed, so caches keep them apart.
 */
export function encodeFresh(text: string, acceptEncoding: string | null | undefined): EncodedBody {
  const bytes = new TextEncoder().encode(text);
  const coding = bytes.byteLength < MIN_COMPRESS_BYTES ? 'identity' : chooseCoding(acceptEncoding);
  const headers: Record<string, string> = { Vary: 'Accept-Encoding' };
  if (coding !== 'identity') headers['Content-Encoding'] = coding;
  return { body: encode(bytes, coding, 'fast'), headers };
}
