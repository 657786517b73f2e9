import { beforeAll, describe, expect, it } from 'vitest';
import { DIGIT_SIDE, normalizeDigit, type PixelImage, prepareDigits, recognize, type TfjsClassifier, toInkMap } from '../core/index.js';
import { loadValidationFromNpm } from '../training/data/mnist.js';
import { createRandom, decodeImage, encodeJpeg, mnistImage, renderDigitPhoto, renderTransparentCanvas } from '../testing/synthetic.js';
import { loadShippedClassifier } from '../testing/shipped-model.js';

const validation = loadValidationFromNpm();
const digitAt = (i: number) => validation.images.subarray(i * 784, (i + 1) * 784);
/** Spread picks over all classes (the npm set is grouped by digit). */
const pick = (n: number, seed: number) => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => Math.floor(random() * validation.count));
};

function argmax(row: number[]): number {
  return row.indexOf(Math.max(...row));
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0,
    mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

let classifier: TfjsClassifier;
beforeAll(async () => {
  classifier = await loadShippedClassifier();
});

describe('preprocessing', () => {
  it('passes an MNIST digit through nearly unchanged, with the same prediction', async () => {
    const indices = pick(300, 1);
    const originals = indices.map((i) => Float32Array.from(digitAt(i), (v) => v / 255));
    const processed = indices.map((i) => {
      const prepared = prepareDigits(mnistImage(digitAt(i)), { single: true });
      expect(prepared.inputs).toHaveLength(1);
      return prepared.inputs[0]!;
    });
    const correlations = processed.map((p, k) => correlation(p, originals[k]!)).sort((a, b) => a - b);
    expect(correlations[Math.floor(correlations.length / 2)]).toBeGreaterThan(0.9); // median
    const [before, after] = await Promise.all([classifier.predict(originals), classifier.predict(processed)]);
    const same = before.filter((row, k) => argmax(row) === argmax(after[k]!)).length;
    expect(same / indices.length).toBeGreaterThanOrEqual(0.99);
  });

  it('reads 500 photo-like renderings (dark on light, 300x300, off-centre, noise, uneven light, JPEG) like the original digit', async () => {
    const random = createRandom(7);
    const indices = pick(500, 2);
    const originals = indices.map((i) => Float32Array.from(digitAt(i), (v) => v / 255));
    const reference = (await classifier.predict(originals)).map(argmax);
    let same = 0;
    for (let k = 0; k < indices.length; k++) {
      const photo = renderDigitPhoto(digitAt(indices[k]!), { random, size: 300, noise: 10, blur: k % 2, lightGradient: 50 });
      const jpeg = decodeImage(encodeJpeg(photo, 70));
      const result = await recognize(jpeg, classifier, { single: true });
      if (result.digit === reference[k]) same++;
    }
    expect(same / indices.length).toBeGreaterThanOrEqual(0.98);
  });

  it('reads a transparent canvas export, dark or light strokes', async () => {
    const random = createRandom(3);
    let correct = 0;
    const indices = pick(50, 3);
    for (const i of indices) {
      for (const color of [
        [0, 0, 0],
        [255, 255, 255],
      ] as [number, number, number][]) {
        const result = await recognize(renderTransparentCanvas(digitAt(i), { random, color }), classifier);
        if (result.digits === String(validation.labels[i])) correct++;
      }
    }
    expect(correct / (indices.length * 2)).toBeGreaterThanOrEqual(0.96);
  });

  it('answers "no digit" for blank images of any colour and for a few specks', async () => {
    const blank = (value: number, alpha = 255): PixelImage => ({
      width: 200,
      height: 100,
      channels: 4,
      data: new Uint8ClampedArray(200 * 100 * 4).map((_, i) => (i % 4 === 3 ? alpha : value)),
    });
    for (const image of [blank(255), blank(0), blank(128), blank(0, 0)]) {
      const result = await recognize(image, classifier);
      expect(result.status).toBe('no-digit');
      expect(result.digits).toBe('');
      expect(result.digit).toBeNull();
      expect(result.message).toMatch(/blank/);
    }
    // Blank paper photographed: uneven light, sensor noise, JPEG.
    const random = createRandom(9);
    for (let n = 0; n < 10; n++) {
      const paper = decodeImage(encodeJpeg(renderDigitPhoto(new Uint8Array(784), { random, size: 300, noise: 4 + n * 2 }), 75));
      expect((await recognize(paper, classifier)).status).toBe('no-digit');
    }
    const specks = blank(250);
    for (const [x, y] of [
      [20, 20],
      [150, 70],
      [90, 40],
    ])
      specks.data.set([0, 0, 0, 255], (y! * 200 + x!) * 4);
    expect((await recognize(specks, classifier)).status).toBe('no-digit');
    expect((await recognize({ width: 0, height: 0, channels: 1, data: new Uint8Array() }, classifier)).status).toBe('no-digit');
  });

  it('normalizes like MNIST: longest side 20 px, centre of mass at the field centre', () => {
    // A tall bar, 10 wide and 100 high, in a large image.
    const width = 300,
      height = 200;
    const data = new Uint8Array(width * height).fill(255);
    for (let y = 50; y < 150; y++) for (let x = 100; x < 110; x++) data[y * width + x] = 0;
    const map = toInkMap({ width, height, data, channels: 1 });
    const digit = normalizeDigit(map, { x: 100, y: 50, width: 10, height: 100 });
    let rows = 0,
      mass = 0,
      cx = 0,
      cy = 0;
    for (let y = 0; y < DIGIT_SIDE; y++) {
      let rowInk = 0;
      for (let x = 0; x < DIGIT_SIDE; x++) {
        const v = digit[y * DIGIT_SIDE + x]!;
        rowInk += v;
        mass += v;
        cx += v * (x + 0.5);
        cy += v * (y + 0.5);
      }
      if (rowInk > 0.5) rows++;
    }
    expect(rows).toBe(20);
    expect(Math.abs(cx / mass - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy / mass - 14.5)).toBeLessThanOrEqual(0.5);
  });
});
