import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadValidationFromNpm } from '../training/data/mnist.js';
import { sliceDigitSet } from '../training/data/idx.js';
import { useBackend } from '../training/tfjs-node.js';
import { heldOut, mnistSource, train } from '../training/train.js';
import { loadModelFromDir } from '../training/model-files.js';
import { permutation, createRandom } from '../training/random.js';

describe('training', () => {
  it('a smoke run (1 epoch, 1,000 images) lowers the loss, saves a loadable model and a resumable checkpoint', async () => {
    await useBackend('wasm');
    const all = loadValidationFromNpm();
    // The npm set is grouped by class: shuffle so the 1,000 images hold every digit.
    const order = permutation(all.count, createRandom(1));
    const images = new Uint8Array(1200 * 784);
    const labels = new Uint8Array(1200);
    for (let i = 0; i < 1200; i++) {
      images.set(all.images.subarray(order[i]! * 784, (order[i]! + 1) * 784), i * 784);
      labels[i] = all.labels[order[i]!]!;
    }
    const set = { count: 1200, images, labels };
    const dir = await mkdtemp(path.join(tmpdir(), 'train-'));
    const losses: number[] = [];
    const result = await train({
      architecture: 'edge',
      source: mnistSource(sliceDigitSet(set, 0, 1000), true, 1),
      validation: [heldOut('mnist', sliceDigitSet(set, 1000, 1200))],
      epochs: 1,
      batchSize: 32,
      learningRate: 0.003,
      minLearningRateFraction: 1,
      schedule: 'constant',
      labelSmoothing: 0,
      emaDecay: 0,
      seed: 1,
      outputDir: path.join(dir, 'best'),
      checkpointDir: path.join(dir, 'checkpoint'),
      resume: false,
      quantization: 'float16',
      log: () => {},
      onBatchLoss: (loss) => losses.push(loss),
    });
    expect(losses.length).toBe(Math.ceil(1000 / 32));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 4)) * 0.8);
    expect(result.bestValidationScore).toBeGreaterThan(0.3); // far above chance (0.1) after one short epoch
    expect(result.parameters).toBeLessThanOrEqual(100_000);
    const model = await loadModelFromDir(path.join(dir, 'best'));
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    // Saved in its inference form: batch norm folded into the convolutions, no dropout.
    expect(model.layers.map((l) => l.getClassName())).not.toContain('BatchNormalization');
    const state = JSON.parse(await readFile(path.join(dir, 'checkpoint', 'state.json'), 'utf8')) as { epochsDone: number };
    expect(state.epochsDone).toBe(1);
  });
});
