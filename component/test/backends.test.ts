/**
 * On-device classification on two tfjs backends (tfjs-runtime.ts BridgedClassifier): a batch size
 * met for the first time is read on the CPU backend, so no reading waits for WebGL's shader
 * compilation (seconds on SwiftShader); its shaders are compiled after the reading, when the page is
 * idle, and the next reading of that size may run on WebGL. Both give the same probabilities.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DIGIT_PIXELS } from '../../model/core/index.js';
import { COMPILE_DELAY_MS, loadWebglClassifier, webglBatch, type BridgedClassifier } from '../src/tfjs-runtime.js';
import { TEST_MODEL_URL } from './support/dom.js';

let classifier: BridgedClassifier;

beforeAll(async () => {
  classifier = await loadWebglClassifier(TEST_MODEL_URL, 30_000);
});

afterAll(() => classifier.dispose());

/** Inputs with a stroke in them (blank ones would all read the same). */
function inputs(count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => {
    const input = new Float32Array(DIGIT_PIXELS);
    for (let y = 5; y < 23; y++) input[y * 28 + 10 + ((y + i) % 8)] = 1;
    return input;
  });
}

const compilations = () => performance.getEntriesByType('measure').filter((e) => e.name.startsWith('digit-recognizer:webgl-compile-')).map((e) => e.name.replace('digit-recognizer:webgl-compile-', ''));

async function compiledFor(size: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!compilations().includes(String(size))) {
    if (performance.now() > deadline) throw new Error(`WebGL never compiled batches of ${size}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await classifier.settled();
}

test('WebGL batches are padded to powers of two: few sizes to compile', () => {
  expect([1, 2, 3, 4, 5, 9, 17, 33, 100, 192].map(webglBatch)).toEqual([1, 2, 4, 4, 8, 16, 32, 64, 128, 256]);
});

test('a new batch size is read on the CPU at once, compiled for WebGL afterwards, then read on WebGL the same', async () => {
  const three = inputs(3);
  expect(classifier.backendFor(3)).toBe('cpu');
  const before = compilations();
  const onCpu = await classifier.predict(three);
  expect(onCpu).toHaveLength(3);
  // Nothing was compiled for the reading: it did not wait for WebGL.
  expect(compilations()).toEqual(before);
  // The page's tfjs backend is still WebGL between readings.
  expect(tf.getBackend()).toBe('webgl');

  // A second after the reading, when idle, WebGL compiles batches of 4 (3, padded).
  await new Promise((resolve) => setTimeout(resolve, COMPILE_DELAY_MS / 2));
  expect(compilations()).toEqual(before);
  await compiledFor(4);
  // The next reading of that size goes to WebGL (its speed is not known yet) and agrees with the CPU.
  expect(classifier.backendFor(3)).toBe('webgl');
  const onWebgl = await classifier.predict(three);
  expect(onWebgl).toHaveLength(3);
  onWebgl.forEach((row, i) => row.forEach((p, d) => expect(Math.abs(p - onCpu[i]![d]!)).toBeLessThan(1e-3)));
  // From then on, the faster of the two measured here reads that size.
  expect(['webgl', 'cpu']).toContain(classifier.backendFor(3));
  expect(tf.getBackend()).toBe('webgl');
});
