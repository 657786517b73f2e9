/**
 * The edge scoring API. Static files (element bundle, model files, demo pages) are served by Workers
 * static assets before the worker runs; the worker answers the API routes, the home page and every
 * JSON error (including 404 for paths that match no file).
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { Bindings } from './env.js';
import { ApiError, notFound, onError, shorten } from './errors.js';
import { health } from './health/route.js';
import { home } from './home/route.js';
import { apiHeaders } from './middleware/security-headers.js';
import { predict } from './predict/route.js';

/** "*" or a comma-separated list of origins, from the ALLOWED_ORIGINS variable. */
function allowedOrigin(origin: string, c: Context<{ Bindings: Bindings }>): string | null {
  const setting = (c.env.ALLOWED_ORIGINS ?? '*').trim();
  if (setting === '*') return '*';
  return setting
    .split(',')
    .map((o) => o.trim())
    .includes(origin)
    ? origin
    : null;
}

/**
 * Answers 405 with the methods the path does support. Ours rather than hono/method-not-allowed,
 * which derives Allow from the routes and so leaves out the OPTIONS that cors answers on the API.
 */
const methodNotAllowed = (allow: string) => (c: Context) => {
  throw new ApiError(
    405,
    'method_not_allowed',
    `${shorten(c.req.method)} is not allowed on ${shorten(c.req.path)}; use ${allow
      .split(', ')
      .filter((m) => m !== 'OPTIONS' && m !== 'HEAD')
      .join(' or ')}.`,
    { Allow: allow },
  );
};

export function createApp() {
  const app = new Hono<{ Bindings: Bindings }>();

  app.use('*', apiHeaders);
  app.use(
    '*',
    cors({
      origin: allowedOrigin,
      allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization'],
      maxAge: 86400,
    }),
  );

  app.route('/predict', predict);
  app.route('/healthz', health);
  app.all('/predict', methodNotAllowed('POST, OPTIONS'));
  app.all('/healthz', methodNotAllowed('GET, HEAD, OPTIONS'));
  // The home page comes from the worker (wrangler.toml run_worker_first), from memory, so that a
  // wrong method gets the API's JSON 405 rather than the asset server's empty one.
  app.route('/', home);
  app.all('/', methodNotAllowed('GET, HEAD'));

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
