/**
 * Benchmark-only entry point (never deployed): runs the real app on one request body `runs` times
 * inside the isolate and reports how long each took. The body is read from the network first, so the
 * figures are the worker's own work (parsing, decoding, preprocessing, inference, JSON), not transfer.
 * With `decode=png` it times only the worker's image decoding (src/images/decode.ts) of the body; with
 * `decode=upng` the decoder PNGs had before, upng-js, alone (without the checks it had around it),
 * for a comparison in the same run.
 */
import UPNG from 'upng-js';
import { decodeImage } from '../src/images/decode.js';
import app from '../src/index.js';
import type { Bindings } from '../src/env.js';

async function once(
  mode: string | null,
  body: ArrayBuffer,
  contentType: string,
  env: Bindings,
  ctx: ExecutionContext,
): Promise<{ status: number; answer: string }> {
  if (mode === 'png') {
    const image = await decodeImage(new Uint8Array(body));
    return { status: 200, answer: JSON.stringify({ width: image.width, height: image.height }) };
  }
  if (mode === 'upng') {
    const image = UPNG.decode(body.slice(0));
    UPNG.toRGBA8(image);
    return { status: 200, answer: JSON.stringify({ width: image.width, height: image.height }) };
  }
  const response = await app.fetch(
    new Request('http://bench/predict', { method: 'POST', body, headers: { 'content-type': contentType } }),
    env,
    ctx,
  );
  return { status: response.status, answer: await response.text() };
}

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const body = await request.arrayBuffer();
    const url = new URL(request.url);
    const runs = Math.min(1000, Math.max(1, Number(url.searchParams.get('runs') ?? 1)));
    const mode = url.searchParams.get('decode');
    const contentType = request.headers.get('content-type') ?? '';
    const times: number[] = [];
    let status = 0;
    let answer = '';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      ({ status, answer } = await once(mode, body, contentType, env, ctx));
      times.push(performance.now() - started);
    }
    return Response.json({ status, times, answer: JSON.parse(answer) as unknown });
  },
};
