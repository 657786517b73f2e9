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
import { crc32 } from '../src/images/png.js';
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
  return dispatch(
    new Request(`${ORIGIN}/predict${query}`, {
      method: 'POST',
      body,
      headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
    }),
  );
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
  const body = await response.json<ErrorResponse>();
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

/** A PNG chunk with its length and a correct CRC. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** A PNG with every CRC right: signature, IHDR of `width` x `height` (8-bit grey unless told), the given chunks, IEND. */
export function pngWith(chunks: Uint8Array[], { width = 100, height = 100, depth = 8, colourType = 0 } = {}): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...chunks,
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** The scanlines of a grey 100x100 page (filter byte, then 100 pixels), each row with filter `filterOf(row)`. */
export function greyRows(filterOf: (row: number) => number, rows = 100): Uint8Array {
  const raw = new Uint8Array(rows * 101).fill(200);
  for (let y = 0; y < rows; y++) raw[y * 101] = filterOf(y);
  return raw;
}
