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

/**
 * Recognition `i`: a drawing, a photo, or (every tenth) a drawing read by the server. A memory test,
 * not an accuracy one (upload.test.ts and writers.test.ts say how well photos and drawings are
 * read): each of the twenty inputs must be read the same way every time, as it was the first time
 * (`readings`), so state left over from earlier recognitions would show. Returns how many digits it read.
 */
async function recognition(el: DigitRecognizer, i: number, photos: File[], readings: Map<string, string>): Promise<number> {
  const digit = i % 10;
  el.clear();
  el.mode = i % 10 === 9 ? 'remote' : 'local';
  let input: string;
  if (i % 2 === 0) {
    await el.loadImage(photos[digit]!);
    input = `photo of ${digit}`;
  } else {
    const drawing = DIGIT_DRAWINGS[digit]![0]!;
    draw(el, [drawing.strokes], rowOfRegions(1, stageAspect(el)));
    input = `drawing of ${digit}`;
  }
  const detail = await el.recognize();
  const first = readings.get(input);
  if (first === undefined) readings.set(input, detail.digits);
  else if (detail.digits !== first)
    throw new Error(`recognition ${i}: read "${detail.digits}" for the ${input} (${detail.source}), "${first}" the first time`);
  await el.updateComplete;
  return detail.digits.length;
}

test(`${RECOGNITIONS} recognitions leave no tensors and no canvases behind`, { timeout: 600_000 }, async () => {
  const photos = await Promise.all(
    Array.from({ length: 10 }, async (_, d) =>
      base64ToFile(await commands.digitPhoto(d, d % 2 ? 'jpeg' : 'png', 40 + d), `digit-${d}`, d % 2 ? 'image/jpeg' : 'image/png'),
    ),
  );
  const el = await mount({ 'auto-predict': '0' });
  const readings = new Map<string, string>();
  for (let i = 0; i < WARM_UP; i++) await recognition(el, i, photos, readings);
  const before = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, ...(await commands.memoryCounters()) };
  let digitsRead = 0;
  for (let i = 0; i < RECOGNITIONS; i++) digitsRead += await recognition(el, i, photos, readings);
  const after = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, ...(await commands.memoryCounters()) };
  const workers = await commands.workerNames();
  console.log(`readings: ${JSON.stringify(Object.fromEntries(readings))}`);
  console.log(
    `element memory over ${RECOGNITIONS} recognitions: tensors ${before.tensors} -> ${after.tensors}, tensor bytes ${before.bytes} -> ${after.bytes}, ` +
      `DOM nodes ${before.nodes} -> ${after.nodes}, JS heap ${(before.jsHeapUsed / 2 ** 20).toFixed(1)} -> ${(after.jsHeapUsed / 2 ** 20).toFixed(1)} MiB, ` +
      `workers ${JSON.stringify(workers)}`,
  );
  expect(tf.getBackend()).toBe('webgl');
  // The session read digits (half a digit per recognition at the least), so it ran the model and drew
  // previews: a session of "no digit" would leave nothing behind because it did nothing.
  expect(digitsRead).toBeGreaterThanOrEqual(RECOGNITIONS / 2);
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
