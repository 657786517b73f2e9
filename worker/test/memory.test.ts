/**
 * Tensors are disposed and memory stays flat across many requests. The worker under test (SELF) runs
 * in this isolate, so this test reads the very tfjs engine that served the requests; no test-only
 * route exists in production.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { bytesOf, entriesOf, fixtures, MIME } from './fixtures/index.js';
import { post, postJson, upload } from './helpers.js';

const ROUNDS = 60;

async function round(i: number): Promise<void> {
  const digit = entriesOf('digit', i % 2 ? 'png' : 'jpeg')[i % 200]!;
  const number = entriesOf('number', 'png')[i % 20]!;
  const responses = [
    await upload(bytesOf(digit), MIME[digit.format]),
    await post(bytesOf(number), 'image/png'),
    await postJson({ pixels: fixtures.pixels[i % fixtures.pixels.length]!.values }),
    await postJson({ pixels: fixtures.pixels.slice(0, 8).map((p) => p.values) }),
    await upload(bytesOf(entriesOf('blank', 'png')[0]!), 'image/png'),
    await post(bytesOf(digit).subarray(0, 100), MIME[digit.format]), // truncated: an error mid-request
  ];
  for (const response of responses) {
    expect(response.status).toBeLessThan(500);
    await response.arrayBuffer();
  }
}

describe('memory', () => {
  it(`keeps live tensors and the WASM heap flat over ${ROUNDS * 6} requests of every kind`, async () => {
    await round(0); // loads the model and grows the heap to its working size
    expect(tf.engine().backendName).toBe('wasm');
    const heap = () => ((tf.engine().backend as BackendWasm).wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.byteLength;
    const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, heap: heap() };
    for (let i = 1; i <= ROUNDS; i++) await round(i);
    const after = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, heap: heap() };
    console.log(`memory over ${ROUNDS * 6} requests: tensors ${before.tensors} -> ${after.tensors}, tensor bytes ${before.bytes} -> ${after.bytes}, wasm heap ${before.heap} -> ${after.heap}`);
    expect(after.tensors).toBe(before.tensors);
    expect(after.bytes).toBe(before.bytes);
    expect(after.heap).toBe(before.heap);
  });
});
