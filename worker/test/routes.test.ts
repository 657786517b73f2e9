/** Routing, methods, static assets and CORS. */
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { errorOf, ORIGIN } from './helpers.js';

describe('GET / and static assets', () => {
  it("serves the home page (from the worker's memory), with the element and one script tag", async () => {
    const response = await SELF.fetch(`${ORIGIN}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<digit-recognizer');
    expect(html).toMatch(/<script type="module" src="\/digit-recognizer\.js"><\/script>/);
    // The same page the build publishes as a static file (demo/index.html -> dist/public/index.html).
    const published = await env.ASSETS.fetch(`${ORIGIN}/index.html`);
    expect(published.status).toBe(200);
    expect(await published.text()).toBe(html);
  });

  it('revalidates the home page with its ETag: 304 while unchanged, the page again for another tag', async () => {
    const first = await SELF.fetch(`${ORIGIN}/`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{8}-\d+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const again = await SELF.fetch(`${ORIGIN}/`, { headers: { 'If-None-Match': `"other", ${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const stale = await SELF.fetch(`${ORIGIN}/`, { headers: { 'If-None-Match': '"00000000-1"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toContain('<digit-recognizer');
  });

  it("answers HEAD / with the page's headers and no body", async () => {
    const response = await SELF.fetch(`${ORIGIN}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toBe('');
  });

  // Workers static assets answer these before the worker runs; in workerd tests SELF reaches the
  // worker directly, so the asset binding built from the same wrangler.toml and dist/public stands in.
  it('serves the model files next to the page, for the element', async () => {
    const response = await env.ASSETS.fetch(`${ORIGIN}/model/model.json`);
    expect(response.status).toBe(200);
    const json = await response.json<{ format: string; weightsManifest: { paths: string[] }[] }>();
    expect(json.format).toBe('layers-model');
    const weights = await env.ASSETS.fetch(`${ORIGIN}/model/${json.weightsManifest[0]!.paths[0]}`);
    expect(weights.status).toBe(200);
    expect((await weights.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  });
});

describe('GET /healthz', () => {
  it('answers ok with the model name and version', async () => {
    const response = await SELF.fetch(`${ORIGIN}/healthz`);
    expect(response.status).toBe(200);
    const body = await response.json<{ status: string; model: { name: string; version: string } }>();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
    expect(body).toEqual({ status: 'ok', model: { name: 'digit-edge-cnn', version: expect.stringMatching(/^(e\d+-)?[0-9a-f]{8}$/) } });
  });

  it('answers HEAD without a body', async () => {
    const response = await SELF.fetch(`${ORIGIN}/healthz`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});

describe('unknown paths and wrong methods', () => {
  it.each([
    ['GET', '/nope'],
    ['POST', '/predictions'],
    ['GET', '/predict/extra'],
  ])('%s %s is a JSON 404', async (method, path) => {
    const error = await errorOf(await SELF.fetch(`${ORIGIN}${path}`, { method }));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });

  it.each([
    ['GET', '/predict', 'POST, OPTIONS'],
    ['PUT', '/predict', 'POST, OPTIONS'],
    ['DELETE', '/predict', 'POST, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
    ['POST', '/', 'GET, HEAD'],
  ])('%s %s is a JSON 405 with Allow: %s', async (method, path, allow) => {
    const error = await errorOf(await SELF.fetch(`${ORIGIN}${path}`, { method }));
    expect(error).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(error.headers.get('allow')).toBe(allow);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    new Request(`${ORIGIN}/predict`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, authorization' },
    });

  it('answers a preflight for POST /predict from any origin by default', async () => {
    const response = await SELF.fetch(preflight('https://shop.example'));
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    // The element sends its api-key as a bearer token.
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('lets a page on another origin read results and errors', async () => {
    const ok = await SELF.fetch(`${ORIGIN}/healthz`, { headers: { Origin: 'https://shop.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await SELF.fetch(`${ORIGIN}/predict`, {
      method: 'POST',
      headers: { Origin: 'https://shop.example', 'content-type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows only the configured origins when ALLOWED_ORIGINS lists them', async () => {
    const app = createApp();
    const env = { ALLOWED_ORIGINS: 'https://shop.example, https://blog.example' } as never;
    const allowed = await app.request(preflight('https://blog.example'), undefined, env);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://blog.example');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const refused = await app.request(preflight('https://evil.example'), undefined, env);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await app.request(`${ORIGIN}/healthz`, { headers: { Origin: 'https://evil.example' } }, env);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});
