/**
 * Security headers on everything the worker answers (the home page, the API's JSON, errors). Static
 * files get the same from demo/_headers (copied to dist/public/_headers; Workers static assets apply it).
 *   - HTML: a strict Content-Security-Policy: scripts, styles, fetches only from this origin; no inline
 *     code, no eval (the element and tfjs run under it: e2e/csp.test.ts), no plugins, no framing.
 *   - everything else (JSON): `default-src 'none'`, since an API answer never needs to load anything.
 *   - `X-Content-Type-Options: nosniff` and `Referrer-Policy: strict-origin-when-cross-origin`.
 */
import type { MiddlewareHandler } from 'hono';

/** The page policy: the same text as in demo/_headers (a test checks they agree). */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** For answers that are not pages: nothing may load, nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  // Responses from the asset binding have immutable headers: copy them first.
  let response = c.res;
  const isHtml = (response.headers.get('content-type') ?? '').startsWith('text/html');
  const wanted: Record<string, string> = {
    'Content-Security-Policy': isHtml ? PAGE_CSP : API_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
  try {
    for (const [name, value] of Object.entries(wanted)) response.headers.set(name, value);
  } catch {
    response = new Response(response.body, response);
    for (const [name, value] of Object.entries(wanted)) response.headers.set(name, value);
    c.res = undefined;
    c.res = response;
  }
};
