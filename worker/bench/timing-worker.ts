/**
 * Benchmark-only entry point (never deployed): runs the real app on one request body `runs` times
 * inside the isolate and reports how long each took. The body is read from the network first, so the
 * figures are the worker's own work (parsing, decoding, preprocessing, inference, JSON), not transfer.
 */
import app from '../src/index.js';
import type { Bindings } from '../src/env.js';

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const body = await request.arrayBuffer();
    const runs = Math.min(1000, Math.max(1, Number(new URL(request.url).searchParams.get('runs') ?? 1)));
    const contentType = request.headers.get('content-type') ?? '';
    const times: number[] = [];
    let status = 0;
    let answer = '';
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const response = await app.fetch(new Request('http://bench/predict', { method: 'POST', body, headers: { 'content-type': contentType } }), env, ctx);
      answer = await response.text();
      times.push(performance.now() - started);
      status = response.status;
    }
    return Response.json({ status, times, answer: JSON.parse(answer) as unknown });
  },
};
