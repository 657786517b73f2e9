import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDigits, recognize, type TfjsClassifier, TooManyDigitsError } from '../core/index.js';
import { loadValidationFromNpm } from '../training/data/mnist.js';
import { createRandom, renderDigitPhoto, renderNumber } from '../testing/synthetic.js';
import { loadShippedClassifier } from '../testing/shipped-model.js';

const validation = loadValidationFromNpm();
const digitAt = (i: number) => validation.images.subarray(i * 784, (i + 1) * 784);

let classifier: TfjsClassifier;
beforeAll(async () => {
  classifier = await loadShippedClassifier();
});

describe('segmentation', () => {
  // 97% with the MNIST-only model and the old segmentation; the model trained beyond MNIST reads MNIST
  // digits a little worse (99.2% vs 99.45% validation) and the lattice adds errors: 95% today, a regression
  // the README states. The floor keeps it from getting worse.
  it('reads at least 94% of 4-digit numbers built from validation digits exactly (was 97%)', async () => {
    const random = createRandom(11);
    const total = 300;
    let exact = 0;
    for (let n = 0; n < total; n++) {
      const indices = [0, 1, 2, 3].map(() => Math.floor(random() * validation.count));
      const image = renderNumber(indices.map(digitAt), { random });
      const result = await recognize(image, classifier);
      if (result.digits === indices.map((i) => validation.labels[i]).join('')) exact++;
    }
    expect(exact / total).toBeGreaterThanOrEqual(0.94);
  });

  it('reads a single digit as one digit, with its box in image pixels', async () => {
    const random = createRandom(5);
    let single = 0;
    for (let n = 0; n < 100; n++) {
      const result = await recognize(renderDigitPhoto(digitAt(n * 97), { random, size: 300 }), classifier);
      if (result.segments.length === 1 && result.digits === String(validation.labels[n * 97])) single++;
      for (const { box } of result.segments) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(300);
        expect(box.y + box.height).toBeLessThanOrEqual(300);
      }
    }
    expect(single).toBeGreaterThanOrEqual(98);
  });

  it('orders digits left to right and reports their boxes', async () => {
    const random = createRandom(21);
    const indices = [12, 3456, 7890, 5000, 9999];
    const image = renderNumber(indices.map(digitAt), { random, gap: [0.2, 0.3] });
    const result = await recognize(image, classifier);
    expect(result.segments).toHaveLength(5);
    const xs = result.segments.map((s) => s.box.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(result.digits).toBe(indices.map((i) => validation.labels[i]).join(''));
    expect(result.digit).toBe(validation.labels[12]);
    const first = result.segments[0]!;
    expect(first.kind === 'digit' && first.probabilities).toHaveLength(10);
  });

  it('refuses more digits than the limit', () => {
    const random = createRandom(2);
    const image = renderNumber(
      Array.from({ length: 8 }, (_, i) => digitAt(i * 1000)),
      { random, gap: [0.3, 0.4] },
    );
    expect(() => prepareDigits(image, { maxDigits: 5 })).toThrow(TooManyDigitsError);
    expect(prepareDigits(image, { maxDigits: 8 }).inputs.length).toBeGreaterThanOrEqual(8);
  });
});
