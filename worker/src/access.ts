/**
 * Access control for POST /predict, both off unless configured:
 *   - an API key: the `API_KEY` secret set (`wrangler secret put API_KEY`) means every request needs
 *     `Authorization: Bearer <key>`; a missing or wrong key gets 401 `unauthorized` with
 *     `WWW-Authenticate: Bearer`. The comparison hashes both sides and compares the digests in
 *     constant time, so neither the key's content nor its length leaks through timing.
 *   - rate limiting per client: the `RATE_LIMITER` binding (Workers Rate Limiting, `[[ratelimits]]`
 *     in wrangler.toml) bound means each client gets its limit per period; past it, 429
 *     `rate_limited` with `Retry-After`. A client is its API key when it sent the right one, else its
 *     IP address (`CF-Connecting-IP`); so wrong keys count against the sender's IP, and guessing keys
 *     is rate limited too.
 * The limiter runs before the key is judged and before the body is read: a flood costs a hash and a
 * counter, never a decode.
 */
import type { MiddlewareHandler } from 'hono';
import type { Bindings } from './env.js';
import { ApiError } from './errors.js';

/** The period of the `[[ratelimits]]` binding, in seconds, when RATE_LIMIT_PERIOD does not say (10 or 60). */
export const DEFAULT_RATE_LIMIT_PERIOD = 60;

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Constant-time equality of two strings (compares their SHA-256 digests, so lengths do not leak). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([sha256(a), sha256(b)]);
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };
  if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(x, y);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!;
  return difference === 0;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const accessControl: MiddlewareHandler<{ Bindings: Bindings }> = async (c, next) => {
  const apiKey = c.env.API_KEY;
  const keyRequired = typeof apiKey === 'string' && apiKey.length > 0;
  const token = keyRequired ? bearerToken(c.req.header('authorization')) : null;
  const authorized = !keyRequired || (token !== null && (await sameSecret(token, apiKey)));

  const limiter = c.env.RATE_LIMITER;
  if (limiter) {
    // The key itself never leaves the worker: the limiter sees a digest of it.
    const client = keyRequired && authorized && token
      ? `key:${hex(await sha256(token)).slice(0, 32)}`
      : `ip:${c.req.header('cf-connecting-ip') ?? 'unknown'}`;
    const { success } = await limiter.limit({ key: client });
    if (!success) {
      const period = Number(c.env.RATE_LIMIT_PERIOD) === 10 ? 10 : DEFAULT_RATE_LIMIT_PERIOD;
      throw new ApiError(429, 'rate_limited', `Too many requests from this client; try again in ${period} seconds.`, { 'Retry-After': String(period) });
    }
  }

  if (!authorized) {
    const message = token === null
      ? 'This API needs a key: send it as "Authorization: Bearer <key>".'
      : 'The API key is not valid.';
    throw new ApiError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer' });
  }
  await next();
};
