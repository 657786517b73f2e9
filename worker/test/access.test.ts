/**
 * Access control on POST /predict: the API key (API_KEY secret) and the per-client rate limit (a
 * Workers Rate Limiting binding, simulated by miniflare: TEST_RATE_LIMITER in worker/vitest.config.ts,
 * 3 requests per 60 s). Both are off in wrangler.toml; here the app gets them through its env.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sameSecret } from '../src/middleware/access.js';
import { createApp } from '../src/app.js';
import { errorOf, expectOk, ORIGIN } from './helpers.js';

const KEY = 'k3y-0f-the-test_5ecret';
const PIXELS = JSON.stringify({ pixels: new Array(784).fill(0) });
const app = createApp();

async function predict(
  headers: Record<string, string>,
  bindings: Record<string, unknown>,
  body: BodyInit | null = PIXELS,
): Promise<Response> {
  return app.request(
    `${ORIGIN}/predict`,
    { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } },
    { ...env, ...bindings },
  );
}

/** The minute window the simulated limiter counts in: a test that crosses one is repeated. */
const window = () => Math.floor(Date.now() / 60_000);

/** Sends requests as `send` until the first 429 (at most 10); repeats if a window boundary got in the way. */
async function requestsUntilLimited(send: (attempt: number) => Promise<Response>): Promise<{ allowed: Response[]; limited: Response }> {
  for (;;) {
    const started = window();
    const allowed: Response[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await send(i);
      if (response.status === 429) {
        if (window() !== started) break;
        return { allowed, limited: response };
      }
      allowed.push(response);
    }
    if (window() === started) throw new Error('never rate limited');
  }
}

let clients = 0;
/** A fresh client address per test, so tests do not share buckets. */
const newIp = () => `203.0.113.${++clients}`;

describe('with neither configured (the default)', () => {
  it('POST /predict is open and unlimited', async () => {
    for (let i = 0; i < 5; i++)
      await expectOk(
        await SELF.fetch(`${ORIGIN}/predict`, {
          method: 'POST',
          body: PIXELS,
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.1' },
        }),
      );
    expect(env).not.toHaveProperty('API_KEY');
    expect(env).not.toHaveProperty('RATE_LIMITER');
  });

  it('an Authorization header is ignored', async () => {
    await expectOk(await predict({ authorization: 'Bearer whatever' }, {}));
  });
});

describe('API key', () => {
  const keyed = { API_KEY: KEY };

  it('answers 401 unauthorized with WWW-Authenticate when the key is missing', async () => {
    const error = await errorOf(await predict({}, keyed));
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(error.headers.get('www-authenticate')).toBe('Bearer');
    expect(error.message).toMatch(/Authorization: Bearer/);
  });

  it.each([
    ['a wrong key', `Bearer ${KEY}x`],
    ['a prefix of the key', `Bearer ${KEY.slice(0, -1)}`],
    ['the key in another scheme', `Basic ${KEY}`],
    ['the bare key', KEY],
    ['an empty bearer', 'Bearer '],
    ['a key with a space in it', `Bearer ${KEY} x`],
  ])('answers 401 to %s', async (_name, authorization) => {
    const error = await errorOf(await predict({ authorization }, keyed));
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(error.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers with the reading when the key is right (scheme case-insensitive)', async () => {
    await expectOk(await predict({ authorization: `Bearer ${KEY}` }, keyed));
    await expectOk(await predict({ authorization: `bearer ${KEY}` }, keyed));
  });

  it('refuses before reading the body (a 401, not a 413, for an oversized upload)', async () => {
    const error = await errorOf(await predict({ 'content-length': String(50 * 1024 * 1024) }, keyed, new Uint8Array(16)));
    expect(error.status).toBe(401);
  });

  it('the 401 carries the CORS header, so a page can read it; the preflight needs no key', async () => {
    const error = await errorOf(await predict({ origin: 'https://shop.example' }, keyed));
    expect(error.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await app.request(
      `${ORIGIN}/predict`,
      {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      },
      { ...env, ...keyed },
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
  });

  it('only guards POST /predict', async () => {
    expect((await app.request(`${ORIGIN}/healthz`, {}, { ...env, ...keyed })).status).toBe(200);
  });

  it('compares in constant time over digests (equal, unequal, different lengths)', async () => {
    expect(await sameSecret(KEY, KEY)).toBe(true);
    expect(await sameSecret(KEY, `${KEY}x`)).toBe(false);
    expect(await sameSecret('', KEY)).toBe(false);
    expect(typeof (crypto.subtle as unknown as { timingSafeEqual?: unknown }).timingSafeEqual).toBe('function');
  });
});

describe('rate limit (Workers Rate Limiting binding, simulated: 3 per 60 s)', () => {
  const limited = { RATE_LIMITER: env.TEST_RATE_LIMITER };

  it('answers 429 rate_limited with Retry-After past the limit, per client IP', async () => {
    const ip = newIp();
    const { allowed, limited: response } = await requestsUntilLimited(() => predict({ 'cf-connecting-ip': ip }, limited));
    expect(allowed).toHaveLength(3);
    for (const r of allowed) await expectOk(r);
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(error.headers.get('retry-after')).toBe('60');
    // Another client is not held up by the first.
    await expectOk(await predict({ 'cf-connecting-ip': newIp() }, limited));
  });

  it('Retry-After follows RATE_LIMIT_PERIOD', async () => {
    const ip = newIp();
    const { limited: response } = await requestsUntilLimited(() =>
      predict({ 'cf-connecting-ip': ip }, { ...limited, RATE_LIMIT_PERIOD: '10' }),
    );
    expect(response.headers.get('retry-after')).toBe('10');
  });

  it('with a key, the key is the client: one key from many addresses shares one bucket', async () => {
    const key = `key-${newIp()}`;
    const { allowed } = await requestsUntilLimited(() =>
      predict({ authorization: `Bearer ${key}`, 'cf-connecting-ip': newIp() }, { ...limited, API_KEY: key }),
    );
    expect(allowed).toHaveLength(3);
  });

  it('wrong keys count against the sender address (guessing keys is limited too)', async () => {
    const ip = newIp();
    const { allowed, limited: response } = await requestsUntilLimited((i) =>
      predict({ authorization: `Bearer guess-${i}`, 'cf-connecting-ip': ip }, { ...limited, API_KEY: KEY }),
    );
    expect(allowed.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(response.status).toBe(429);
  });

  it('errors count too (the limit is on requests, not on successes)', async () => {
    const ip = newIp();
    const { allowed } = await requestsUntilLimited(() => predict({ 'cf-connecting-ip': ip }, limited, 'not json'));
    expect(allowed.map((r) => r.status)).toEqual([400, 400, 400]);
  });
});
