/**
 * Security headers on everything the worker answers (the home page, the API's JSON, errors), with
 * Hono's secureHeaders. Static files get the same from demo/_headers (copied to
 * dist/public/_headers; Workers static assets apply it).
 *   - the home page: a strict Content-Security-Policy: scripts, styles, fetches only from this
 *     origin; no inline code, no eval (the element and tfjs run under it: e2e/csp.test.ts), no
 *     plugins, no framing (`pageHeaders`, on the home route only).
 *   - everything else (JSON): `default-src 'none'`, since an API answer never needs to load anything
 *     (`apiHeaders`, on every route; it keeps a policy a route already set).
 *   - `X-Content-Type-Options: nosniff` and `Referrer-Policy: strict-origin-when-cross-origin`.
 * Hono's other default headers (X-Frame-Options, HSTS, cross-origin policies, ...) stay off: the
 * worker sends exactly the headers above, the same as the static files.
 */
import { secureHeaders } from 'hono/secure-headers';

type Directives = Record<string, string[]>;

const PAGE_DIRECTIVES: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** For answers that are not pages: nothing may load, nothing may frame them. */
const API_DIRECTIVES: Directives = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
};

/** A policy as header text, the way secureHeaders writes it. */
const asHeader = (directives: Directives) =>
  Object.entries(directives)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join('; ');

/** The page policy: the same text as in demo/_headers (worker/test/headers.test.ts checks they agree). */
export const PAGE_CSP = asHeader(PAGE_DIRECTIVES);
export const API_CSP = asHeader(API_DIRECTIVES);

const ONLY_OURS = {
  xContentTypeOptions: true,
  referrerPolicy: 'strict-origin-when-cross-origin',
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

/** Every answer: the API policy, unless a route (the home page) set its own. */
export const apiHeaders = secureHeaders({ ...ONLY_OURS, contentSecurityPolicy: API_DIRECTIVES, overwrite: false });

/** The home page, a 304 revalidation of it included (a 304's headers update the browser's stored copy). */
export const pageHeaders = secureHeaders({ ...ONLY_OURS, contentSecurityPolicy: PAGE_DIRECTIVES });
