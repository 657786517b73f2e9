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

/** The error shape as a Response, for middleware that answers with one of its own (bearerAuth). */
export function errorResponse(status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json(errorBody(code, message), { status, headers });
}

/** Longest part of a client's value that an error message quotes. */
export const EXCERPT_LENGTH = 40;

/** The first EXCERPT_LENGTH characters of a client's text, "…" marking a cut: a 4 MB value must not come back in the answer. */
export function shorten(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

/** A client's value quoted for an error message (strings in JSON quotes, shortened; arrays and objects by their kind). */
export function quote(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return JSON.stringify(shorten(value));
  return shorten(String(value));
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message), error.status, error.headers);
  }
  if (error instanceof HTTPException && error.res) {
    // A Hono middleware's own answer: here only bearerAuth's 401, built with errorResponse.
    return error.getResponse();
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = CODE_BY_STATUS[error.status] ?? 'bad_request';
    return c.json(errorBody(code, error.message || code.replaceAll('_', ' ')), error.status);
  }
  // A bug, not bad input: log what happened (never the upload) and answer without internals.
  console.error(`${c.req.method} ${shorten(new URL(c.req.url).pathname)} failed:`, error);
  return c.json(errorBody('internal_error', 'The server could not process this request.'), 500);
}

export function notFound(c: Context): Response {
  return c.json(errorBody('not_found', `No route for ${shorten(c.req.method)} ${shorten(new URL(c.req.url).pathname)}.`), 404);
}
