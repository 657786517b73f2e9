/**
 * GET / and HEAD /: the home page (demo/index.html), bundled into the worker as text (wrangler.toml
 * "Text" rule) and answered from memory. Serving it through the asset binding cost a subrequest per
 * visit, and under `wrangler dev` every subrequest's body also goes through the DevTools inspector
 * and wrangler's debug log: about 5 ms of wrangler's CPU per page view, which capped GET / at 150-200
 * requests per second on the load-test machine (load-tests/RESULTS.md). The other pages are plain
 * static assets and never reach the worker.
 *
 * Caching as the asset server does it: an ETag of the content, revalidation on every visit
 * (`max-age=0, must-revalidate`), 304 when the browser already has this version (Hono's etag
 * middleware, given our tag: computed once, not hashed again per request).
 */
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import page from '../../../demo/index.html';
import type { Bindings } from '../env.js';
import { fingerprint } from '../fingerprint.js';
import { pageHeaders } from '../middleware/security-headers.js';

const BODY = new TextEncoder().encode(page) as Uint8Array<ArrayBuffer>;
/** Changes whenever the page does. */
const ETAG = `"${fingerprint(BODY)}-${BODY.length}"`;

export const home = new Hono<{ Bindings: Bindings }>();

// Hono answers HEAD with the GET handler's headers and no body.
home.get('/', pageHeaders, etag(), (c) =>
  c.body(BODY, 200, { ETag: ETAG, 'Cache-Control': 'public, max-age=0, must-revalidate', 'Content-Type': 'text/html; charset=utf-8' }),
);
