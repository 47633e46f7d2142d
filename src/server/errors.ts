/**
 * @module
 * JSON errors, one shape everywhere (SPEC 4): `{"error":{"code","message"}}` with a fitting status.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ErrorCode =
  | 'bad_json'
  | 'too_deep'
  | 'bad_fields'
  | 'bad_query'
  | 'not_found'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden_host'
  | 'forbidden_origin'
  | 'rate_limited'
  | 'too_many_connections'
  | 'unsupported_media_type'
  | 'storage_unavailable'
  | 'still_running'
  | 'internal';

/** An error with its HTTP status, thrown by handlers and rendered by `app.onError`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

export function sendError(
  c: Context,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
): Response {
  return c.json(errorBody(code, message), status);
}
