/**
 * The edge scoring API. Static files (home page, element bundle, model files) are served by Workers
 * static assets before the worker runs; the worker answers the API routes and every JSON error.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { Bindings } from './env.js';
import { ApiError, notFound, onError } from './errors.js';
import { health } from './routes/health.js';
import { predict } from './routes/predict.js';

/** "*" or a comma-separated list of origins, from the ALLOWED_ORIGINS variable. */
function allowedOrigin(origin: string, c: Context<{ Bindings: Bindings }>): string | null {
  const setting = (c.env.ALLOWED_ORIGINS ?? '*').trim();
  if (setting === '*') return '*';
  return setting.split(',').map((o) => o.trim()).includes(origin) ? origin : null;
}

/** Answers 405 with the methods the path does support. */
const methodNotAllowed = (allow: string) => (c: Context) => {
  throw new ApiError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allow.split(', ').filter((m) => m !== 'OPTIONS' && m !== 'HEAD').join(' or ')}.`, { Allow: allow });
};

export function createApp() {
  const app = new Hono<{ Bindings: Bindings }>();

  app.use('*', cors({ origin: allowedOrigin, allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 86400 }));

  app.route('/predict', predict);
  app.route('/healthz', health);
  app.all('/predict', methodNotAllowed('POST, OPTIONS'));
  app.all('/healthz', methodNotAllowed('GET, HEAD, OPTIONS'));
  // The home page is a static asset; a POST (or any other method) to it reaches the worker.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], ['/', '/index.html'], methodNotAllowed('GET, HEAD'));

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
