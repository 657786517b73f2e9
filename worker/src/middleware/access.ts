/**
 * Access control for POST /predict, both off unless configured:
 *   - an API key: the `API_KEY` secret set (`wrangler secret put API_KEY`) means every request needs
 *     `Authorization: Bearer <key>`, checked by Hono's bearerAuth; a missing, malformed or wrong key
 *     gets 401 `unauthorized` with `WWW-Authenticate: Bearer`. The comparison hashes both sides and
 *     compares the digests in constant time (`sameSecret`), so neither the key's content nor its
 *     length leaks through timing. A key is what bearerAuth accepts: letters, digits and -._~+/,
 *     then any `=` (base64, as `openssl rand -base64 32` prints it).
 *   - rate limiting per client: the `RATE_LIMITER` binding (Workers Rate Limiting, `[[ratelimits]]`
 *     in wrangler.toml) bound means each client gets its limit per period; past it, 429
 *     `rate_limited` with `Retry-After`. A client is its API key when it sent the right one, else its
 *     IP address (`CF-Connecting-IP`); so wrong keys count against the sender's IP, and guessing keys
 *     is rate limited too.
 * The limiter answers before a refused key does, and both before the body is read: a flood costs a
 * hash and a counter, never a decode.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { Bindings } from '../env.js';
import { ApiError, errorResponse } from '../errors.js';

/** The period of the `[[ratelimits]]` binding, in seconds, when RATE_LIMIT_PERIOD does not say (10 or 60). */
export const DEFAULT_RATE_LIMIT_PERIOD = 60;

type AccessContext = Context<{ Bindings: Bindings }>;

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Constant-time equality of two strings (compares their SHA-256 digests, so lengths do not leak).
 * Ours rather than bearerAuth's own compare, which also walks the two strings themselves for as
 * long as the longer one is, and so shows the key's length.
 */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([sha256(a), sha256(b)]);
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };
  if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(x, y);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!;
  return difference === 0;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Our 401: bearerAuth answers a malformed header with 400 by default; here every refusal is 401. */
const refuse = (message: string) => ({
  wwwAuthenticateHeader: 'Bearer',
  message: () => errorResponse(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer' }),
});
const NEEDS_KEY = refuse('This API needs a key: send it as "Authorization: Bearer <key>".');

const checkKey = bearerAuth({
  verifyToken: (token, c: AccessContext) => sameSecret(token, c.env.API_KEY!),
  noAuthenticationHeader: NEEDS_KEY,
  invalidAuthenticationHeader: NEEDS_KEY,
  invalidToken: refuse('The API key is not valid.'),
});

/** Counts the request against its client; 429 past the limit. */
async function rateLimit(c: AccessContext, limiter: RateLimit, keyAccepted: boolean): Promise<void> {
  // The key itself never leaves the worker: the limiter sees a digest of it.
  const client = keyAccepted
    ? `key:${hex(await sha256(c.env.API_KEY!)).slice(0, 32)}`
    : `ip:${c.req.header('cf-connecting-ip') ?? 'unknown'}`;
  const { success } = await limiter.limit({ key: client });
  if (!success) {
    const period = Number(c.env.RATE_LIMIT_PERIOD) === 10 ? 10 : DEFAULT_RATE_LIMIT_PERIOD;
    throw new ApiError(429, 'rate_limited', `Too many requests from this client; try again in ${period} seconds.`, {
      'Retry-After': String(period),
    });
  }
}

export const accessControl: MiddlewareHandler<{ Bindings: Bindings }> = async (c, next) => {
  const keyRequired = typeof c.env.API_KEY === 'string' && c.env.API_KEY.length > 0;
  // bearerAuth judges the key; its refusal waits until the limiter has counted the request.
  let keyAccepted = false;
  let refusal: { error: unknown } | undefined;
  if (keyRequired) {
    try {
      await checkKey(c, () => {
        keyAccepted = true;
        return Promise.resolve();
      });
    } catch (error) {
      refusal = { error };
    }
  }
  if (c.env.RATE_LIMITER) await rateLimit(c, c.env.RATE_LIMITER, keyAccepted);
  if (refusal) throw refusal.error;
  await next();
};
