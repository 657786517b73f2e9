/**
 * The server `npm start` runs (scripts/serve.mjs: the worker as `wrangler deploy` bundles it, in
 * workerd, behind the Node front door of scripts/http-front.mjs), started the same way on a free
 * port with a snapshot of dist/public: bursts of 50 concurrent 2 MP JPEG uploads with no failure,
 * early answers that do not wait for a body never sent, 413/400 for oversized and malformed
 * requests, and the demo's pages and assets. The same checks fail against `wrangler dev`
 * (`npx tsx load-tests/node/local-server-check.ts --wrangler`; figures in load-tests/RESULTS.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMING_CASES, describeAnswers, photoJpeg, runCase, uploadBurst } from '../node/local-server.js';
import { startLocalServer, type Server } from '../node/server.js';

let server: Server | undefined;
const base = () => server!.baseUrl;

beforeAll(async () => {
  // Builds dist/public first if it is missing (scripts/build.mjs, as npm start does).
  server = await startLocalServer({ extraArgs: ['--quiet'] });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('npm start (scripts/serve.mjs)', () => {
  it('answers two bursts of 50 concurrent 2 MP JPEG uploads, every one 200 with the same digits', async () => {
    const photo = photoJpeg();
    expect(photo.width * photo.height).toBe(2_000_000);
    for (const multipart of [false, true]) {
      const burst = await uploadBurst(base(), photo.bytes, { concurrency: 50, multipart });
      // Every failure by kind (status and body start, or the network error), so a miss says what it was.
      expect(burst.failures, multipart ? 'multipart uploads' : 'image/jpeg uploads').toEqual({});
      expect(burst.outcomes).toHaveLength(50);
      expect(burst.digits).toHaveLength(1);
      expect(burst.digits[0]).toMatch(/^\d+$/);
    }
    expect(server!.exited()).toBeUndefined();
  }, 240_000);

  it.each(FRAMING_CASES)('$name: $expected', async (framing) => {
    const { answers, passed } = await runCase(framing, base());
    expect(passed, describeAnswers(answers)).toBe(answers.length);
  });

  it('serves the demo pages, the element bundle, the model files and the JSON 404', async () => {
    for (const page of ['/', '/plain', '/react', '/vue', '/form', '/form-result']) {
      const res = await fetch(`${base()}${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type'), page).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy'), page).toContain("default-src 'self'");
      expect(await res.text(), page).toMatch(/^<!doctype html>/i);
    }
    const bundle = await fetch(`${base()}/digit-recognizer.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*'); // from dist/public/_headers
    await bundle.arrayBuffer();
    const model = await fetch(`${base()}/model/model.json`);
    expect(model.status).toBe(200);
    expect(((await model.json()) as { modelTopology?: unknown }).modelTopology).toBeDefined();
    const health = (await (await fetch(`${base()}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const missing = await fetch(`${base()}/no-such-file.txt`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
