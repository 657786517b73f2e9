/**
 * The error table of worker/README.md ("The HTTP API") against the API itself: each row's status and code
 * is what the app answers to an example request of that kind, every code the source can raise is in
 * the table, and the table lists none that the app never gives.
 */
/// <reference types="vite/client" />
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import readme from '../README.md?raw';
import { createApp } from '../src/app.js';
import { MAX_BODY_BYTES } from '../src/limits.js';
import { bytesOf, entriesOf, fixtures } from './fixtures/index.js';
import { errorOf, ORIGIN, post, postJson, upload } from './helpers.js';

/** The rows of the error table under "The HTTP API": status and code. */
function documentedErrors(): { status: number; code: string; when: string }[] {
  const section = readme.slice(readme.indexOf('### The HTTP API'));
  // Cells are read trimmed: Prettier pads a table's columns to one width.
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const lines = section.split('\n');
  const header = lines.findIndex((line) => cells(line).join(' ') === 'status code when');
  const rows: { status: number; code: string; when: string }[] = [];
  for (const line of header < 0 ? [] : lines.slice(header + 2)) {
    const [status, code, when] = cells(line);
    const match = /^(\d{3})$/.test(status ?? '') ? /^`([a-z_]+)`$/.exec(code ?? '') : null;
    if (!match || when === undefined) break;
    rows.push({ status: Number(status), code: match[1]!, when });
  }
  return rows;
}

/** Every status and code the worker's source raises: `new ApiError(status, 'code' ...)`, `errorResponse(...)`, and the 404 and 500 of errors.ts. */
function raisedInSource(): { status: number; code: string }[] {
  const sources = import.meta.glob<string>('../src/**/*.ts', { query: '?raw', import: 'default', eager: true });
  const found = new Map<string, number>();
  for (const text of Object.values(sources)) {
    for (const [, status, codes] of text.matchAll(/(?:new ApiError|errorResponse)\(\s*(\d{3}),\s*([^,]+),/g)) {
      for (const [, code] of codes!.matchAll(/'([a-z_]+)'/g)) found.set(code!, Number(status));
    }
  }
  found.set('not_found', 404);
  found.set('internal_error', 500);
  return [...found].map(([code, status]) => ({ status, code }));
}

const app = createApp();
const png = bytesOf(entriesOf('digit', 'png')[0]!);
const pixels = fixtures.pixels[0]!.values;
const withEnv = async (request: Request, bindings: Record<string, unknown>) => app.request(request, undefined, { ...env, ...bindings });

/** A PNG that is valid up to its header, which declares `width` x `height`. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const copy = png.slice();
  new DataView(copy.buffer).setUint32(16, width);
  new DataView(copy.buffer).setUint32(20, height);
  return copy;
}

interface Example {
  /** Words of the README's "when" for this code, found in its row and no other. */
  when: string;
  send: () => Response | Promise<Response>;
}

/** One request of each kind, by the code it must get. */
const EXAMPLES: Record<string, Example> = {
  missing_image: { when: 'a form without a file', send: () => upload(png, 'image/png', 'file') },
  empty_body: { when: 'an empty raw body', send: () => post(null, 'image/png') },
  empty_image: { when: 'the uploaded file or the data URL is empty', send: () => upload(new Uint8Array(0), 'image/png') },
  invalid_image: { when: 'not an image', send: () => post(new TextEncoder().encode('hello, these are not pixels'), 'image/png') },
  invalid_multipart: { when: 'a malformed `multipart/form-data` body', send: () => post('whatever', 'multipart/form-data') },
  invalid_json: { when: 'the body is not JSON', send: () => post('{"pixels": [', 'application/json') },
  invalid_request: { when: 'JSON that is not an object', send: () => postJson([pixels]) },
  invalid_pixels: { when: 'not exactly 784 finite numbers', send: () => postJson({ pixels: pixels.slice(1) }) },
  unauthorized: {
    when: 'missing or wrong',
    send: () =>
      withEnv(
        new Request(`${ORIGIN}/predict`, {
          method: 'POST',
          body: JSON.stringify({ pixels }),
          headers: { 'content-type': 'application/json' },
        }),
        { API_KEY: 'the-key' },
      ),
  },
  not_found: { when: 'unknown path', send: () => app.request(`${ORIGIN}/nothing-here`, {}, env) },
  method_not_allowed: { when: 'wrong method', send: () => app.request(`${ORIGIN}/predict`, {}, env) },
  request_timeout: {
    when: 'did not fully arrive',
    send: () => {
      // A body that never ends, and a deadline of 0.2 s.
      const stalled = new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(png.subarray(0, 10)) });
      return withEnv(new Request(`${ORIGIN}/predict`, { method: 'POST', body: stalled, headers: { 'content-type': 'image/png' } }), {
        BODY_TIMEOUT_SECONDS: '0.2',
      });
    },
  },
  payload_too_large: { when: 'body over 10 MB', send: () => post(new Uint8Array(MAX_BODY_BYTES + 1), 'image/png') },
  image_too_large: { when: 'over 8192 pixels a side', send: () => post(pngDeclaring(9000, 10), 'image/png') },
  unsupported_media_type: { when: 'a body that is not PNG, JPEG, WebP or JSON', send: () => post(png, 'text/plain') },
  too_many_digits: { when: 'more than 32 digits', send: () => postJson({ pixels: Array.from({ length: 33 }, () => pixels) }) },
  too_many_marks: {
    when: 'more separate marks than a number has',
    send: () => post(bytesOf(entriesOf('adversarial').find((e) => e.name?.includes('bomb'))!), 'image/png'),
  },
  invalid_lattice: {
    when: 'a lattice whose spans',
    send: () => postJson({ pixels: [pixels], lattice: { pieces: 1, spans: [[0, 2]], separators: [], lineHeight: 20 } }),
  },
  rate_limited: {
    when: 'past it',
    send: async () => {
      // miniflare's limiter allows 3 per 60 s per client: a fresh address, until it says no.
      const ip = `192.0.2.${1 + Math.floor(Math.random() * 250)}`;
      let response: Response | undefined;
      for (let i = 0; i < 10 && response?.status !== 429; i++) {
        await response?.arrayBuffer();
        response = await withEnv(
          new Request(`${ORIGIN}/predict`, {
            method: 'POST',
            body: 'not json',
            headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
          }),
          { RATE_LIMITER: env.TEST_RATE_LIMITER },
        );
      }
      return response!;
    },
  },
  internal_error: {
    when: 'a bug',
    send: () => {
      // A bug: a handler that throws something other than an HTTP error, through the app's onError.
      const broken = createApp();
      broken.get('/broken', () => {
        throw new TypeError('a bug');
      });
      return broken.request(`${ORIGIN}/broken`, {}, env);
    },
  },
};

describe('the README error table', () => {
  const documented = documentedErrors();

  it('is found, with one row per code', () => {
    expect(documented.length).toBeGreaterThan(10);
    expect(new Set(documented.map((row) => row.code)).size).toBe(documented.length);
  });

  it('lists every code the source raises, with its status, and no other', () => {
    const byCode = (rows: { status: number; code: string }[]) => [...rows].sort((a, b) => a.code.localeCompare(b.code));
    expect(byCode(documented.map(({ status, code }) => ({ status, code })))).toEqual(byCode(raisedInSource()));
  });

  it('has an example request here for every row, and none for a code it does not list', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(documented.map((row) => row.code).sort());
  });

  it.each(documentedErrors())(
    '$status $code: the API answers an example request so, and only this row describes it',
    async ({ status, code, when }) => {
      const example = EXAMPLES[code];
      expect(example, `no example request for ${code}`).toBeDefined();
      expect(when).toContain(example!.when);
      for (const other of documented.filter((row) => row.code !== code))
        expect(other.when, `the ${other.code} row`).not.toContain(example!.when);
      expect(await errorOf(await example!.send())).toMatchObject({ status, code });
    },
  );
});
