/**
 * Slow and endless uploads are cut off: a body that has not arrived within the deadline gets
 * 408 request_timeout (BODY_TIMEOUT_SECONDS, here 1 s; default 30 s; the deadline wraps hono's bodyLimit, which reads a chunked body itself), one that never stops growing
 * gets 413 at 5 MB; a slow body that does finish in time is read normally.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { errorOf, expectOk, ORIGIN } from './helpers.js';

const app = createApp();
const encoder = new TextEncoder();

/** A body that sends `chunk` every `everyMs` until `chunks` have gone (Infinity: never ends); cancelled when the test is done. */
function trickle(chunk: (i: number) => Uint8Array | null, everyMs: number): { stream: ReadableStream<Uint8Array>; stop: () => void } {
  let i = 0;
  let stopped = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stopped) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      const next = chunk(i++);
      if (next === null) controller.close();
      else controller.enqueue(next);
    },
    cancel() {
      stopped = true;
    },
  });
  return { stream, stop: () => (stopped = true) };
}

async function post(body: ReadableStream<Uint8Array>, contentType: string, bindings: Record<string, string> = {}): Promise<Response> {
  return app.request(`${ORIGIN}/predict`, { method: 'POST', body, headers: { 'content-type': contentType } }, { ...env, ...bindings });
}

describe('slow and endless uploads', () => {
  it('an endless trickle gets 408 request_timeout at the deadline', async () => {
    const { stream, stop } = trickle(() => encoder.encode('0,'), 50);
    const started = Date.now();
    const error = await errorOf(await post(stream, 'application/json', { BODY_TIMEOUT_SECONDS: '1' }));
    stop();
    expect(error).toMatchObject({ status: 408, code: 'request_timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a stalled raw image upload (no bytes after the first) gets 408 too', async () => {
    // Four bytes of a PNG signature, then nothing, and the stream never closes.
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
      },
    });
    const error = await errorOf(await post(stalled, 'image/png', { BODY_TIMEOUT_SECONDS: '1' }));
    expect(error).toMatchObject({ status: 408, code: 'request_timeout' });
  });

  it('an endless fast upload is cut off at 5 MB with 413', async () => {
    const block = new Uint8Array(256 * 1024);
    const { stream, stop } = trickle(() => block, 0);
    const error = await errorOf(await post(stream, 'image/png'));
    stop();
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('a slow upload that finishes within the deadline is read', async () => {
    const body = encoder.encode(JSON.stringify({ pixels: new Array(784).fill(0) }));
    const parts = [body.subarray(0, 1000), body.subarray(1000, 2000), body.subarray(2000)];
    const { stream } = trickle((i) => parts[i] ?? null, 150);
    const result = await expectOk(await post(stream, 'application/json', { BODY_TIMEOUT_SECONDS: '2' }));
    expect(result.model.name).toBe('digit-edge-cnn');
  });
});
