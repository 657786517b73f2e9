/**
 * Security headers: the worker's own answers (home page, JSON, errors) and the static assets
 * (demo/_headers, applied by the asset binding from dist/public/_headers), plus CORS on the element
 * bundle, its tfjs chunk and the model files.
 */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { API_CSP, PAGE_CSP } from '../src/middleware/security-headers.js';
import { ORIGIN } from './helpers.js';

function expectCommon(response: Response): void {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

describe('the page policy', () => {
  it('is strict: self only, no inline code, no eval, no plugins, no framing', () => {
    expect(PAGE_CSP).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|\*/);
    expect(PAGE_CSP).toContain("object-src 'none'");
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
  });
});

describe('answers of the worker', () => {
  it('GET / (the home page) has the page policy, nosniff and a referrer policy', async () => {
    const response = await SELF.fetch(`${ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expectCommon(response);
    await response.arrayBuffer();
  });

  it("a 304 revalidating the home page has the page policy too (a 304's headers update the stored page)", async () => {
    const first = await SELF.fetch(`${ORIGIN}/`);
    await first.arrayBuffer();
    const again = await SELF.fetch(`${ORIGIN}/`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expectCommon(again);
    await again.arrayBuffer();
  });

  it.each([
    ['GET /healthz', '/healthz', 'GET'],
    ['a 404', '/nothing-here', 'GET'],
    ['a 405', '/predict', 'GET'],
    ['a 400 from POST /predict', '/predict', 'POST'],
  ])('%s has the API policy and the same headers', async (_name, path, method) => {
    const response = await SELF.fetch(`${ORIGIN}${path}`, { method });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-security-policy')).toBe(API_CSP);
    expectCommon(response);
    await response.arrayBuffer();
  });
});

// Workers static assets answer these before the worker runs; the asset binding, built from the same
// wrangler.toml and dist/public (with its _headers), stands in.
describe('static assets (demo/_headers)', () => {
  it.each(['/plain', '/plain.html', '/react', '/vue', '/form', '/form-result', '/home.css', '/model/model.json'])(
    '%s has the page policy, nosniff and a referrer policy',
    async (path) => {
      const response = await env.ASSETS.fetch(`${ORIGIN}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expectCommon(response);
      await response.arrayBuffer();
    },
  );

  it('the model files are readable from other origins (CORS), the pages are not opened up', async () => {
    const model = await env.ASSETS.fetch(`${ORIGIN}/model/model.json`);
    expect(model.headers.get('access-control-allow-origin')).toBe('*');
    const json = await model.json<{ weightsManifest: { paths: string[] }[] }>();
    const weights = await env.ASSETS.fetch(`${ORIGIN}/model/${json.weightsManifest[0]!.paths[0]}`);
    expect(weights.headers.get('access-control-allow-origin')).toBe('*');
    await weights.arrayBuffer();
    const page = await env.ASSETS.fetch(`${ORIGIN}/plain`);
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    await page.arrayBuffer();
  });

  it('the element bundle and its chunks are readable from other origins, when built', async () => {
    const bundle = await env.ASSETS.fetch(`${ORIGIN}/digit-recognizer.js`);
    await bundle.arrayBuffer();
    // The worker tests build dist/public without the bundles (--no-component); `npm start` builds them.
    if (bundle.status === 404) return;
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*');
    expect(bundle.headers.get('content-security-policy')).toBe(PAGE_CSP);
  });

  it('the _headers file itself is not served', async () => {
    const file = await env.ASSETS.fetch(`${ORIGIN}/_headers`);
    expect(file.status).not.toBe(200);
    await file.arrayBuffer();
  });
});
