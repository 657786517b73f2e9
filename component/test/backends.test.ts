/**
 * On-device classification on two tfjs backends (tfjs-runtime.ts BridgedClassifier): a batch size
 * met for the first time is read on the CPU backend, so no reading waits for WebGL's shader
 * compilation (seconds on SwiftShader); its shaders are compiled after the reading, when the page is
 * idle, and the next reading of that size may run on WebGL. Both give the same probabilities.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DIGIT_PIXELS } from '../../model/core/index.js';
import { CPU_CHUNK, loadWebglClassifier, webglBatch, type BridgedClassifier } from '../src/tfjs-runtime.js';
import { TEST_MODEL_URL } from './support/dom.js';

let classifier: BridgedClassifier;
/** The same, compiling WebGL's shaders even where the browser cannot compile them in parallel (here). */
let compiling: BridgedClassifier;

beforeAll(async () => {
  classifier = await loadWebglClassifier(TEST_MODEL_URL, 30_000);
  compiling = await loadWebglClassifier(TEST_MODEL_URL, 30_000, { compile: 'always' });
});

afterAll(() => {
  classifier.dispose();
  compiling.dispose();
});

/** Inputs with a stroke in them (blank ones would all read the same). */
function inputs(count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => {
    const input = new Float32Array(DIGIT_PIXELS);
    for (let y = 5; y < 23; y++) input[y * 28 + 10 + ((y + i) % 8)] = 1;
    return input;
  });
}

const compilations = () =>
  performance
    .getEntriesByType('measure')
    .filter((e) => e.name.startsWith('digit-recognizer:webgl-compile-'))
    .map((e) => Number(e.name.replace('digit-recognizer:webgl-compile-', '')));

async function compiledFor(size: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!compilations().includes(size)) {
    if (performance.now() > deadline) throw new Error(`WebGL never compiled batches of ${size}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await compiling.settled();
}

test('WebGL batches are padded to powers of two: few sizes to compile', () => {
  expect([1, 2, 3, 4, 5, 9, 17, 33, 100, 192].map(webglBatch)).toEqual([1, 2, 4, 4, 8, 16, 32, 64, 128, 256]);
});

test('a batch size met for the first time is read on the CPU; without parallel compilation, WebGL is never compiled to block the page', async () => {
  const three = inputs(3);
  expect(classifier.backendFor(3)).toBe('cpu');
  const rows = await classifier.predict(three);
  expect(rows).toHaveLength(3);
  // The page's tfjs backend is still WebGL between readings.
  expect(tf.getBackend()).toBe('webgl');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await classifier.settled();
  if (classifier.compilesInParallel) {
    // (A GPU that compiles in parallel: the small sizes were compiled at load, 4 among them.)
    expect(classifier.backendFor(3)).toBe('webgl');
  } else {
    // SwiftShader here: compiling would hold the page for seconds, and the CPU is as fast.
    expect(classifier.compilesInParallel).toBe(false);
    expect(classifier.backendFor(3)).toBe('cpu');
  }
});

test('compiled after a reading, the next reading of that size runs on WebGL and agrees with the CPU', async () => {
  // The small sizes (up to 16) are compiled at load; 20 (padded to 32) is met here first.
  await compiledFor(16);
  const twenty = inputs(20);
  expect(compiling.backendFor(20)).toBe('cpu');
  const onCpu = await compiling.predict(twenty);
  await compiledFor(32);
  expect(compiling.backendFor(20)).toBe('webgl');
  const onWebgl = await compiling.predict(twenty);
  expect(onWebgl).toHaveLength(20);
  onWebgl.forEach((row, i) => row.forEach((p, d) => expect(Math.abs(p - onCpu[i]![d]!)).toBeLessThan(1e-3)));
  // From then on, the faster of the two as measured here reads that size.
  expect(['webgl', 'cpu']).toContain(compiling.backendFor(20));
  expect(tf.getBackend()).toBe('webgl');
});

test(`the CPU reads ${CPU_CHUNK} inputs at a time: a timer keeps firing through a reading of 32`, async () => {
  const many = inputs(32);
  expect(classifier.backendFor(32)).toBe('cpu');
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  const rows = await classifier.predict(many);
  const total = performance.now() - started;
  clearInterval(timer);
  longest = Math.max(longest, performance.now() - last); // the wait since the last tick counts too
  expect(rows).toHaveLength(32);
  // Relative, so a busy machine does not decide it: read in 32 / CPU_CHUNK = 8 chunks, the page waits
  // about an eighth of the reading at a time; read in one go, it would wait the whole reading.
  expect(longest).toBeLessThan(total / 3);
});
