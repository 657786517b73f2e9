/**
 * Tensors are disposed and memory stays flat across many requests. The worker under test (SELF) runs
 * in this isolate, so this test reads the very tfjs engine that served the requests (live tensors,
 * tensor bytes, the WASM heap) without a test-only route in production; the isolate's own size comes
 * from the operating system through the Node-side test host (test-host.ts).
 */
import { describe, expect, inject, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { init as pngDecoder } from '@jsquash/png/decode.js';
import pako from 'pako';
import { bytesOf, entriesOf, fixtures, MIME } from './fixtures/index.js';
import { chunk, greyRows, pngWith, post, postJson, upload, withMissingScanComponent } from './helpers.js';

const RECOGNITIONS = 10_000;
const WARM_UP = 1000;
/** Allowed growth of workerd's resident size over the run: a leak of 3 KB per request (one 28x28
 * float digit) would add 30 MB; noise from the garbage collector's timing stays well below. */
const RSS_SLACK_BYTES = 24 * 1024 * 1024;

const digitsPng = entriesOf('digit', 'png');
const digitsJpeg = entriesOf('digit', 'jpeg');
const digitsWebp = entriesOf('digit', 'webp');
const numbers = entriesOf('number', 'png');

/** Each one unwinds out of MozJPEG with memory allocated, so the decoder instance is replaced; the run shows that costs nothing that stays. */
const damagedJpeg = withMissingScanComponent(bytesOf(digitsJpeg[0]!));
/** Sound up to its last scanline, whose filter type does not exist: refused after inflating, never handed to the PNG decoder. */
const badFilterPng = pngWith([chunk('IDAT', pako.deflate(greyRows((y) => (y === 99 ? 9 : y % 5))))]);

/** Request `i` of the run: every input path in turn, plus an error now and then. */
async function request(i: number): Promise<void> {
  let response: Response;
  switch (i % 5) {
    case 0: // the element's fallback: one preprocessed digit
      response = await postJson({ pixels: fixtures.pixels[i % fixtures.pixels.length]!.values });
      break;
    case 1: // a form upload of a photo
      response = await upload(bytesOf(digitsPng[i % digitsPng.length]!), MIME.png);
      break;
    case 2: // a raw JPEG photo, or a WebP one
      response =
        i % 10 === 2
          ? await post(bytesOf(digitsJpeg[i % digitsJpeg.length]!), MIME.jpeg)
          : await post(bytesOf(digitsWebp[i % digitsWebp.length]!), MIME.webp);
      break;
    case 3: // a whole number: segmentation and a batch
      response = await post(bytesOf(numbers[i % numbers.length]!), MIME.png);
      break;
    default: // the fallback with several digits, or a file that fails mid-request: truncated or badly filtered PNG, damaged JPEG
      response =
        i % 10 === 4
          ? await postJson({ pixels: fixtures.pixels.slice(0, 4).map((p) => p.values) })
          : i % 40 === 9
            ? await post(bytesOf(digitsPng[i % 200]!).subarray(0, 120), MIME.png)
            : i % 40 === 29
              ? await post(badFilterPng, MIME.png)
              : await post(damagedJpeg, MIME.jpeg);
  }
  const body = await response.text();
  const expected = i % 10 === 9 ? 400 : 200;
  if (response.status !== expected) throw new Error(`request ${i}: expected ${expected}, got ${response.status}: ${body.slice(0, 200)}`);
}

interface Snapshot {
  tensors: number;
  bytes: number;
  heap: number;
  /** The PNG decoder's WebAssembly memory (its one instance: see src/images/png.ts). */
  pngHeap: number;
  rss: number | null;
  platform: string;
}

async function snapshot(): Promise<Snapshot> {
  const wasm = (tf.engine().backend as BackendWasm).wasm as unknown as { HEAPU8: Uint8Array };
  const probe = await (await fetch(new URL('memory', inject('testHostUrl')))).json<{ rss: number | null; platform: string }>();
  // The worker already started the decoder in this isolate: init() hands back that instance.
  const png = await pngDecoder();
  return {
    tensors: tf.memory().numTensors,
    bytes: tf.memory().numBytes,
    heap: wasm.HEAPU8.byteLength,
    pngHeap: png.memory.buffer.byteLength,
    ...probe,
  };
}

const mib = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

describe('memory', { timeout: 600_000 }, () => {
  // Made from ../shared/handwriting's held-out writers: present in CI.
  it.runIf(entriesOf('phone').length > 0)(
    "answers 16 concurrent 12 MP JPEG uploads, none with a 5xx, within the isolate's 128 MB",
    async () => {
      const photos = entriesOf('phone');
      // Answers first: the worker's tfjs backend and its decoders start with their first request (the
      // PNG decoder too: snapshot() asks for the instance the worker started).
      expect((await post(bytesOf(entriesOf('digit', 'png')[0]!), 'image/png')).status).toBe(200);
      expect((await post(bytesOf(photos[0]!), 'image/jpeg')).status).toBe(200);
      const before = await snapshot();
      let peak = before.rss ?? 0;
      const watch = setInterval(() => {
        void snapshot().then((s) => (peak = Math.max(peak, s.rss ?? 0)));
      }, 100);
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          post(bytesOf(photos[i % photos.length]!), 'image/jpeg').then(async (r) => ({
            status: r.status,
            body: await r.json<{ digits?: string }>(),
          })),
        ),
      );
      clearInterval(watch);
      const after = await snapshot();
      peak = Math.max(peak, after.rss ?? 0);
      console.log(
        `16 concurrent 12 MP uploads: ${answers.map((a) => a.status).join(' ')}; workerd RSS ${mib(before.rss)} -> peak ${mib(peak)} -> ${mib(after.rss)}`,
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      answers.forEach((a, i) => expect(a.body.digits).toBe(photos[i % photos.length]!.expected));
      if (before.platform === 'linux') expect(peak - before.rss!).toBeLessThan(128 * 1024 * 1024);
    },
  );

  it(`keeps live tensors, the WASM heap and workerd's size flat over ${RECOGNITIONS} requests on every input path`, async () => {
    // Loads the model and grows the heaps to their working size.
    for (let i = 0; i < WARM_UP; i++) await request(i);
    expect(tf.engine().backendName).toBe('wasm');
    const before = await snapshot();
    const samples: Snapshot[] = [];
    for (let i = 0; i < RECOGNITIONS; i++) {
      await request(i);
      if ((i + 1) % 2_000 === 0) samples.push(await snapshot());
    }
    const after = samples.at(-1)!;
    console.log(
      `memory over ${RECOGNITIONS} requests: tensors ${before.tensors} -> ${after.tensors}, tensor bytes ${before.bytes} -> ${after.bytes}, ` +
        `wasm heap ${mib(before.heap)} -> ${mib(after.heap)}, PNG decoder ${mib(before.pngHeap)} -> ${mib(after.pngHeap)}, workerd RSS ${mib(before.rss)} -> ${samples.map((s) => mib(s.rss)).join(' -> ')}`,
    );
    expect(after.tensors).toBe(before.tensors);
    expect(after.bytes).toBe(before.bytes);
    expect(after.heap).toBe(before.heap);
    expect(after.pngHeap).toBe(before.pngHeap);
    // The probe reads /proc: on Linux (here and in CI) it must have found workerd.
    if (before.platform === 'linux') {
      expect(before.rss).not.toBeNull();
      for (const sample of samples) expect(sample.rss! - before.rss!).toBeLessThan(RSS_SLACK_BYTES);
    }
  });
});
