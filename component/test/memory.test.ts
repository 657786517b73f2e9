/**
 * Memory over a long session: 1,000 recognitions of drawings and uploaded photos (and some through
 * the server) leave no tensors behind in tfjs' WebGL backend and no canvases or other DOM nodes
 * behind in the page. The element draws a fresh 28x28 preview canvas for every digit it reads, so a
 * leak would show as nodes that survive a full garbage collection (memoryCounters, through the
 * DevTools protocol). Every image goes to the element's preparation worker and its model inputs come
 * back: that stays one worker for the whole session.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { base64ToFile, draw, mount, rowOfRegions, stageAspect } from './support/dom.js';

const RECOGNITIONS = 1_000;
/** Recognitions before the first measurement: the heap grows by about 0.5 MB over the first few
 * hundred as V8 compiles and Lit and tfjs fill their caches, then stays within the collector's noise
 * (about 0.1 MB either way). */
const WARM_UP = 250;

afterEach(() => {
  document.body.replaceChildren();
});

/** Recognition `i`: a drawing, a photo, or (every tenth) a drawing read by the server. */
async function recognition(el: DigitRecognizer, i: number, photos: File[]): Promise<void> {
  const digit = i % 10;
  el.clear();
  el.mode = i % 10 === 9 ? 'remote' : 'local';
  let expected: string;
  if (i % 2 === 0) {
    await el.loadImage(photos[digit]!);
    expected = String(digit);
  } else {
    const drawing = DIGIT_DRAWINGS[digit]![0]!;
    draw(el, [drawing.strokes], rowOfRegions(1, stageAspect(el)));
    expected = String(digit);
  }
  const detail = await el.recognize();
  if (detail.digits !== expected) throw new Error(`recognition ${i}: read "${detail.digits}" for ${expected} (${detail.source})`);
  await el.updateComplete;
}

test(`${RECOGNITIONS} recognitions leave no tensors and no canvases behind`, { timeout: 600_000 }, async () => {
  const photos = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => base64ToFile(await commands.digitPhoto(d, d % 2 ? 'jpeg' : 'png', 40 + d), `digit-${d}`, d % 2 ? 'image/jpeg' : 'image/png')),
  );
  const el = await mount({ 'auto-predict': '0' });
  for (let i = 0; i < WARM_UP; i++) await recognition(el, i, photos);
  const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, ...(await commands.memoryCounters()) };
  for (let i = 0; i < RECOGNITIONS; i++) await recognition(el, i, photos);
  const after = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, ...(await commands.memoryCounters()) };
  const workers = await commands.workerNames();
  console.log(
    `element memory over ${RECOGNITIONS} recognitions: tensors ${before.tensors} -> ${after.tensors}, tensor bytes ${before.bytes} -> ${after.bytes}, ` +
      `DOM nodes ${before.nodes} -> ${after.nodes}, JS heap ${(before.jsHeapUsed / 2 ** 20).toFixed(1)} -> ${(after.jsHeapUsed / 2 ** 20).toFixed(1)} MiB, ` +
      `workers ${JSON.stringify(workers)}`,
  );
  expect(tf.getBackend()).toBe('webgl');
  expect(after.tensors).toBe(before.tensors);
  expect(after.bytes).toBe(before.bytes);
  // Each recognition renders at least one preview canvas and a result; a leak of one node per
  // recognition would add 1,000. The slack covers nodes Lit or the test runner create lazily.
  expect(after.nodes - before.nodes).toBeLessThan(100);
  expect(after.documents).toBe(before.documents);
  // 1,000 leaked 28x28 float previews (3 KB each) would be 3 MB, decoded photos far more.
  expect(after.jsHeapUsed - before.jsHeapUsed).toBeLessThan(2 ** 20);
  // One preparation worker served every reading.
  expect(workers).toEqual(['digit-recognizer preparation']);
});
