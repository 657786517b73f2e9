/**
 * One error shape for the whole API: `{ "error": { "code", "message" } }` with the right status.
 * Handlers throw ApiError; `onError` turns it (and anything Hono itself throws) into that shape.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorResponse } from '../../model/core/index.js';

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

/** Codes for statuses that Hono or a middleware raised without one of ours. */
const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function errorBody(code: string, message: string): ErrorResponse {
  return { error: { code, message } };
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message), error.status, error.headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = CODE_BY_STATUS[error.status] ?? 'bad_request';
    return c.json(errorBody(code, error.message || code.replaceAll('_', ' ')), error.status);
  }
  // A bug, not bad input: log what happened (never the upload) and answer without internals.
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed:`, error);
  return c.json(errorBody('internal_error', 'The server could not process this request.'), 500);
}

export function notFound(c: Context): Response {
  return c.json(errorBody('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), 404);
}
