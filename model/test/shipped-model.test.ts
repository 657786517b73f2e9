import { DIGIT_CLASSES } from '../core/index.js';
import { describe, expect, it } from 'vitest';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { countMultiplyAdds } from '../training/architecture.js';
import { loadValidationFromNpm } from '../training/data/mnist.js';
import { readModelMetadata } from '../training/model-files.js';
import { ARTIFACTS_DIR, loadShippedClassifier } from '../testing/shipped-model.js';

describe('the shipped model', () => {
  it('loads and scores at least 99% on the validation set from the npm package, and rarely calls a digit "not one digit"', async () => {
    const classifier = await loadShippedClassifier();
    const validation = loadValidationFromNpm();
    const inputs = Array.from({ length: validation.count }, (_, i) =>
      Float32Array.from(validation.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    );
    let correct = 0,
      rejected = 0;
    for (let start = 0; start < inputs.length; start += 1000) {
      const rows = await classifier.predict(inputs.slice(start, start + 1000));
      rows.forEach((row, k) => {
        // A one-digit image is read as the likeliest of the ten digits (interpret.ts); the 11th output
        // only weighs segmentation hypotheses, so it is counted apart.
        const digits = row.slice(0, DIGIT_CLASSES);
        if (digits.indexOf(Math.max(...digits)) === validation.labels[start + k]) correct++;
        if (row.length > DIGIT_CLASSES && row[DIGIT_CLASSES]! > Math.max(...digits)) rejected++;
      });
    }
    expect(correct / validation.count).toBeGreaterThanOrEqual(0.99);
    expect(rejected / validation.count).toBeLessThanOrEqual(0.02);
  });

  it('fits the edge budget: at most 100k parameters, 5M multiply-adds (10 MFLOP), 400 KB of weights', async () => {
    const classifier = await loadShippedClassifier();
    expect(classifier.model.countParams()).toBeLessThanOrEqual(100_000);
    expect(countMultiplyAdds(classifier.model)).toBeLessThanOrEqual(5_000_000);
    expect((await stat(path.join(ARTIFACTS_DIR, 'weights.bin'))).size).toBeLessThanOrEqual(400 * 1024);
    const metadata = await readModelMetadata(ARTIFACTS_DIR);
    expect(metadata.command).toMatch(/npm run train/);
  });
});
