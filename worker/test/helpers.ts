/**
 * Small helpers for requests against the worker under test.
 *
 * POST /predict requests go straight to the worker's fetch handler (src/index.ts, with the test
 * env's real bindings and an ExecutionContext), in this workerd isolate: Cloudflare's "unit style".
 * Tests of routing through Workers static assets use SELF (the worker as wrangler.toml deploys it)
 * instead; SELF.fetch costs more with every request a test file makes (workers-sdk#15446: 6 ms for
 * the first hundred, 60 ms by the four-hundredth here), which the recognition and memory tests,
 * with thousands of requests, cannot afford.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type { ErrorResponse, PredictResponse } from '../../model/core/index.js';
import worker from '../src/index.js';

export const ORIGIN = 'http://digits.test';

/** One request through the worker's own fetch handler. */
export async function dispatch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function post(body: BodyInit | null, contentType?: string, headers: Record<string, string> = {}, query = ''): Promise<Response> {
  return dispatch(new Request(`${ORIGIN}/predict${query}`, { method: 'POST', body, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers } }));
}

/** A multipart upload the way a browser form sends it: the file in field "image". */
export function upload(bytes: Uint8Array, type: string, field = 'image', filename = 'digit', query = ''): Promise<Response> {
  const form = new FormData();
  form.append(field, new File([bytes], filename, { type }));
  return dispatch(new Request(`${ORIGIN}/predict${query}`, { method: 'POST', body: form }));
}

export function postJson(value: unknown): Promise<Response> {
  return post(JSON.stringify(value), 'application/json');
}

export async function expectOk(response: Response): Promise<PredictResponse> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${text}`);
  return JSON.parse(text) as PredictResponse;
}

/** Checks the one error shape and returns it. */
export async function errorOf(response: Response): Promise<{ status: number; code: string; message: string; headers: Headers }> {
  const body = (await response.json()) as ErrorResponse;
  if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string' || body.error.message.length === 0) {
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  }
  if (!response.headers.get('content-type')?.startsWith('application/json')) throw new Error('error without a JSON content type');
  return { status: response.status, code: body.error.code, message: body.error.message, headers: response.headers };
}

/**
 * A complete JPEG the decoder gives up on halfway: the first scan names a component the frame does
 * not have ("Invalid component ID"), so MozJPEG unwinds out of the decoder.
 */
export function withMissingScanComponent(jpeg: Uint8Array): Uint8Array {
  const copy = jpeg.slice();
  const sos = copy.findIndex((b, i) => b === 0xff && copy[i + 1] === 0xda);
  if (sos < 0) throw new Error('no start of scan in the JPEG');
  copy[sos + 5] = 0x58; // the first component selector of the scan header
  return copy;
}
