/**
 * Benchmark of the recognition core in Node: training throughput and inference latency on each
 * available backend, and preprocessing time. Prints medians over several runs.
 *   npm run bench:model [-- --runs 7]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from './architecture.js';
import { DIGIT_PIXELS, DIGIT_SIDE, prepareDigits, TfjsClassifier } from '../core/index.js';
import { loadValidationFromNpm } from './data/mnist.js';
import { useBackend, type NodeBackend } from './tfjs-node.js';
import { loadShippedClassifier } from '../testing/shipped-model.js';
import { createRandom, renderDigitPhoto, renderNumber } from '../testing/synthetic.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const validation = loadValidationFromNpm();
const inputs = Array.from({ length: 64 }, (_, i) =>
  Float32Array.from(validation.images.subarray(i * 150 * DIGIT_PIXELS, (i * 150 + 1) * DIGIT_PIXELS), (v) => v / 255),
);

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

console.log(`median of ${runs} runs; ${new Date().toISOString()}`);
for (const backend of ['wasm', 'cpu'] as NodeBackend[]) {
  await useBackend(backend);
  const model = createModel('edge');
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  // The pure-JS CPU backend is ~65x slower at conv training: a small batch keeps the run short.
  const batch = backend === 'cpu' ? 8 : 64;
  const x = tf.randomUniform([batch, DIGIT_SIDE, DIGIT_SIDE, 1]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat();
  await model.trainOnBatch(x, y);
  const trainRuns = backend === 'cpu' ? 2 : runs;
  const trainTimes: number[] = [];
  for (let r = 0; r < trainRuns; r++) trainTimes.push(await time(() => model.trainOnBatch(x, y)));
  tf.dispose([x, y]);
  model.dispose();
  const classifier: TfjsClassifier = await loadShippedClassifier(backend);
  await classifier.warmUp();
  const single: number[] = [];
  const batched: number[] = [];
  for (let r = 0; r < runs; r++) {
    single.push(await time(() => classifier.predict([inputs[r % inputs.length]!])));
    batched.push(await time(() => classifier.predict(inputs.slice(0, 32))));
  }
  console.log(
    `${backend.padEnd(5)} training ${(batch / (median(trainTimes) / 1000)).toFixed(0)} samples/s (batch ${batch}${backend === 'cpu' ? `, ${trainRuns} runs` : ''}); inference: 1 digit ${median(single).toFixed(2)} ms, 32 digits ${median(batched).toFixed(2)} ms (${(median(batched) / 32).toFixed(2)} ms/digit)`,
  );
  classifier.dispose();
}

const random = createRandom(1);
const photo = renderDigitPhoto(validation.images.subarray(0, DIGIT_PIXELS), { random, size: 300 });
const megapixel = renderNumber(
  [0, 1, 2, 3].map((i) => validation.images.subarray(i * 2000 * DIGIT_PIXELS, (i * 2000 + 1) * DIGIT_PIXELS)),
  { random, width: 1000, height: 1000 },
);
for (const [name, image] of [
  ['300x300 photo, 1 digit', photo],
  ['1000x1000 photo, 4 digits', megapixel],
] as const) {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push(await time(() => prepareDigits(image)));
  console.log(`preprocessing + segmentation, ${name}: ${median(times).toFixed(2)} ms`);
}
