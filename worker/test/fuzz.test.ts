/**
 * Fuzzing POST /predict with fast-check inside workerd: random bytes under every content type,
 * mutated PNG, JPEG and WebP files (flipped bytes, truncation, bent chunk lengths, huge declared sizes),
 * multipart bodies with odd boundaries and duplicate fields, deeply nested and enormous JSON.
 * Every answer must be a JSON error (4xx, one shape) or a valid reading (200), never a 5xx, and come
 * within a deadline. 10,000 requests in all (about 50 s here); a failure prints the seed and the
 * shrunk counterexample, which fast-check replays with `{ seed, path }` in the run's options.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorResponse, PredictResponse } from '../../model/core/index.js';
import { createApp } from '../src/app.js';
import { bytesOf, entriesOf } from './fixtures/index.js';
import { ORIGIN } from './helpers.js';

const runs = (n: number) => n;
/** A request that takes longer than this is a hang (the slowest valid upload here takes well under a second). */
const DEADLINE_MS = 15_000;

const app = createApp();
let sent = 0;

/** The smallest fixture of a kind: mutations that still decode cost a whole recognition. */
function smallest(format: 'png' | 'jpeg' | 'webp'): Uint8Array {
  return entriesOf('digit', format)
    .map(bytesOf)
    .sort((a, b) => a.length - b.length)[0]!;
}
const PNG = smallest('png');
const JPEG = smallest('jpeg');
const WEBP = smallest('webp');

async function send(body: BodyInit | null, headers: Record<string, string>, query = ''): Promise<void> {
  sent++;
  const request = app.request(`${ORIGIN}/predict${query}`, { method: 'POST', body, headers }, env);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    const response = await Promise.race([request, deadline]);
    const text = await Promise.race([response.text(), deadline]);
    if (response.status >= 500) throw new Error(`${response.status}: ${text}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = JSON.parse(text) as PredictResponse & ErrorResponse;
    if (response.status === 200) {
      expect(['ok', 'uncertain', 'no-digit']).toContain(json.status);
      expect(typeof json.digits).toBe('string');
      expect(Array.isArray(json.segments)).toBe(true);
    } else {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(typeof json.error?.code).toBe('string');
      expect(json.error.message.length).toBeGreaterThan(0);
    }
  } finally {
    clearTimeout(timer);
  }
}

const CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'application/octet-stream',
  'application/json',
  'application/json; charset=utf-8',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'text/plain',
  'image/gif',
  'image/webp',
  '',
];
const contentType = fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 60 }));
const query = fc.constantFrom('', '', '?single=true', '?single=false', '?single=maybe', '?single=');

/** Edits that break a file in the ways real files break. */
function mutated(file: Uint8Array): fc.Arbitrary<Uint8Array> {
  const flip = fc
    .array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 })
    .map((edits) => {
      const copy = file.slice();
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    });
  const truncate = fc.nat(file.length - 1).map((end) => file.slice(0, end));
  const headerFlip = fc
    .array(fc.tuple(fc.nat(Math.min(file.length - 1, 64)), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      const copy = file.slice();
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    });
  const u32 = fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 65535, 65536, 4096, 4097, 2049, 100_000);
  const wrongLength = fc.tuple(fc.nat(file.length - 4), u32).map(([at, value]) => {
    const copy = file.slice();
    new DataView(copy.buffer).setUint32(at, value >>> 0);
    return copy;
  });
  const spliced = fc.tuple(fc.nat(file.length), fc.uint8Array({ maxLength: 256 })).map(([at, extra]) => {
    const copy = new Uint8Array(file.length + extra.length);
    copy.set(file.subarray(0, at));
    copy.set(extra, at);
    copy.set(file.subarray(at), at + extra.length);
    return copy;
  });
  const doubled = fc.constant(null).map(() => {
    const copy = new Uint8Array(file.length * 2);
    copy.set(file);
    copy.set(file, file.length);
    return copy;
  });
  return fc.oneof(flip, truncate, headerFlip, wrongLength, spliced, doubled);
}

/** The PNG with its IHDR width and height replaced (huge, zero, or one side off). */
const pngDimensions = fc
  .tuple(
    fc.constantFrom(0, 1, 28, 4096, 4097, 65535, 0x7fffffff, 0xffffffff),
    fc.constantFrom(0, 1, 28, 2048, 2049, 65535, 0x7fffffff, 0xffffffff),
  )
  .map(([w, h]) => {
    const copy = PNG.slice();
    const view = new DataView(copy.buffer);
    view.setUint32(16, w >>> 0);
    view.setUint32(20, h >>> 0);
    return copy;
  });

/** The JPEG with its start-of-frame width and height replaced. */
const jpegDimensions = fc.tuple(fc.constantFrom(0, 1, 8, 2048, 4097, 65535), fc.constantFrom(0, 1, 8, 2048, 4097, 65535)).map(([w, h]) => {
  const copy = JPEG.slice();
  for (let at = 2; at + 8 < copy.length;) {
    const marker = copy[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      new DataView(copy.buffer).setUint16(at + 5, h);
      new DataView(copy.buffer).setUint16(at + 7, w);
      break;
    }
    at += 2 + ((copy[at + 2]! << 8) | copy[at + 3]!);
  }
  return copy;
});

const encoder = new TextEncoder();
const concat = (parts: (string | Uint8Array)[]) => {
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

const imageBytes = fc.oneof(
  fc.constant(PNG),
  fc.constant(JPEG),
  fc.constant(WEBP),
  mutated(PNG),
  mutated(JPEG),
  mutated(WEBP),
  fc.uint8Array({ maxLength: 512 }),
);

/** A multipart body built by hand: any boundary, fields in any order, duplicates, missing pieces. */
const multipart = fc
  .record({
    boundary: fc.oneof(
      fc.constantFrom('x', '----WebKitFormBoundary7MA4YWxkTrZu0gW', '"quoted"', 'a b', '--', '', "'()+_,-./:=?", '=;,'),
      fc.string({ minLength: 0, maxLength: 80 }),
    ),
    declared: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
    parts: fc.array(
      fc.record({
        name: fc.oneof(fc.constant('image'), fc.constant('image'), fc.constant('file'), fc.string({ maxLength: 10 })),
        filename: fc.option(fc.oneof(fc.constant('digit.png'), fc.string({ maxLength: 20 })), { nil: undefined }),
        type: fc.option(fc.constantFrom('image/png', 'image/jpeg', 'text/plain', 'application/octet-stream', 'image/gif', ''), {
          nil: undefined,
        }),
        body: imageBytes,
      }),
      { maxLength: 4 },
    ),
    closed: fc.boolean(),
    crlf: fc.constantFrom('\r\n', '\n'),
  })
  .map(({ boundary, declared, parts, closed, crlf }) => {
    const pieces: (string | Uint8Array)[] = [];
    for (const part of parts) {
      pieces.push(
        `--${boundary}${crlf}Content-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}${crlf}`,
      );
      if (part.type !== undefined) pieces.push(`Content-Type: ${part.type}${crlf}`);
      pieces.push(crlf, part.body, crlf);
    }
    if (closed) pieces.push(`--${boundary}--${crlf}`);
    return { body: concat(pieces), contentType: `multipart/form-data; boundary=${declared ?? boundary}` };
  });

const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));

/** Nested arrays or objects `depth` deep, as text (built without recursion). */
const nested = fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.boolean(), fc.boolean()).map(([depth, objects, inPixels]) => {
  const open = objects ? '{"a":' : '[';
  const close = objects ? '}' : ']';
  const core = `${open.repeat(depth)}0${close.repeat(depth)}`;
  return inPixels ? `{"pixels":${core}}` : core;
});

const json = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify({ pixels: v })),
  fc.jsonValue().map((v) => JSON.stringify({ image: v })),
  nested,
  // Pixels of every count and content: right, wrong, too many digits, non-numbers.
  fc
    .tuple(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom(784, 783, 785, 0),
      fc.oneof(fc.double(), fc.constant(0.5), fc.constant('0.5'), fc.constant(null)),
    )
    .map(([digits, size, value]) =>
      JSON.stringify({
        pixels:
          digits === 1
            ? new Array<typeof value>(size).fill(value)
            : Array.from({ length: digits }, () => new Array<typeof value>(size).fill(value)),
      }),
    ),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.jsonValue())
    .map(([n, boxes]) => JSON.stringify({ pixels: Array.from({ length: n }, () => new Array<number>(784).fill(0.2)), boxes })),
  // Enormous: a 4 MB string, a huge array of numbers, a body just past the limit.
  fc.constantFrom(4 * 1024 * 1024, 5 * 1024 * 1024 + 1).map((n) => `{"image":"data:image/png;base64,${'A'.repeat(n)}"}`),
  fc.integer({ min: 100_000, max: 600_000 }).map((n) => `{"pixels":[${'0,'.repeat(n)}0]}`),
  // Data URLs of broken images, odd media types, bad base64.
  fc
    .tuple(fc.constantFrom('image/png', 'image/jpeg', 'image/gif', 'text/plain', ''), imageBytes, fc.boolean())
    .map(([type, bytes, b64]) => JSON.stringify({ image: `data:${type}${b64 ? ';base64' : ''},${base64(bytes)}` })),
  fc.string({ maxLength: 200 }).map((s) => JSON.stringify({ image: `data:image/png;base64,${s}` })),
  // Text that is almost JSON.
  fc.string({ maxLength: 300 }),
);

describe(`fuzzing POST /predict (${runs(10_000)} requests)`, () => {
  const started = Date.now();

  it('random bytes under every content type', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), contentType, query, async (body, type, q) => {
        await send(body, type ? { 'content-type': type } : {}, q);
      }),
      { numRuns: runs(2500) },
    );
  });

  it('mutated PNG, JPEG and WebP files, raw and as octet-stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated(PNG), mutated(JPEG), mutated(WEBP), pngDimensions, jpegDimensions),
        fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'application/octet-stream'),
        query,
        async (body, type, q) => {
          await send(body, { 'content-type': type }, q);
        },
      ),
      { numRuns: runs(3000) },
    );
  });

  it('multipart with odd boundaries, duplicate and missing fields, broken files', async () => {
    await fc.assert(
      fc.asyncProperty(multipart, query, async ({ body, contentType: type }, q) => {
        await send(body, { 'content-type': type }, q);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('JSON: random values, deeply nested, enormous, broken data URLs, almost-JSON', async () => {
    await fc.assert(
      fc.asyncProperty(json, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/json'), async (body, type) => {
        await send(body, { 'content-type': type });
      }),
      { numRuns: runs(2500) },
    );
  });

  it('sent them all', () => {
    expect(sent).toBeGreaterThanOrEqual(runs(10_000));
    console.log(`fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, no 5xx, none over ${DEADLINE_MS / 1000} s`);
  });
});
