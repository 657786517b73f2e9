/**
 * The ink map's first step reduces RGBA (colour weighted by alpha) before making it grey, so a large
 * photo never exists as a full-size float copy. That must give the same digits as reducing the grey
 * image, which is what the core does for one-channel input.
 */
import { describe, expect, it } from 'vitest';
import { prepareDigits, shrinkRgba, toGrey, WORKING_SIZE, type PixelImage } from '../core/index.js';
import { loadValidationFromNpm } from '../training/data/mnist.js';
import { createRandom, renderNumber } from '../testing/synthetic.js';

const validation = loadValidationFromNpm();
const digitAt = (i: number) => validation.images.subarray(i * 784, (i + 1) * 784);

/** The same picture as one grey channel (alpha composited as the core does). */
function greyTwin(image: PixelImage): PixelImage {
  const grey = toGrey(image);
  return { width: image.width, height: image.height, data: Uint8ClampedArray.from(grey, (v) => Math.round(v)), channels: 1 };
}

function worstDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let p = 0; p < a.length; p++) worst = Math.max(worst, Math.abs(a[p]! - b[p]!));
  return worst;
}

describe('reducing RGBA before grey', () => {
  it('leaves images within the working size untouched', () => {
    const image: PixelImage = { width: 300, height: 200, data: new Uint8ClampedArray(300 * 200 * 4), channels: 4 };
    expect(shrinkRgba(image, WORKING_SIZE)).toBe(image);
  });

  it('gives the same digits and boxes as the grey image reduced: a 1000x1000 photo of a number', () => {
    const random = createRandom(7);
    const full = renderNumber([3, 1000, 5000, 7000].map(digitAt), { random, width: 1000, height: 1000 });
    expect(full.channels).toBe(4);
    const fromRgba = prepareDigits(full);
    const fromGrey = prepareDigits(greyTwin(full));
    expect(fromRgba.inputs.length).toBeGreaterThan(0);
    expect(fromRgba.inputs).toHaveLength(fromGrey.inputs.length);
    fromRgba.inputs.forEach((input, i) => expect(worstDifference(input, fromGrey.inputs[i]!)).toBeLessThan(0.05)); // 8-bit rounding
    fromRgba.boxes.forEach((box, i) => {
      expect(Math.abs(box.x - fromGrey.boxes[i]!.x)).toBeLessThanOrEqual(3);
      expect(Math.abs(box.width - fromGrey.boxes[i]!.width)).toBeLessThanOrEqual(5);
    });
  });

  it('averages alpha-weighted colour, so a transparent canvas export composites as before', () => {
    // 800x800 transparent canvas with an opaque black square: semi-transparent edges after reducing.
    const data = new Uint8ClampedArray(800 * 800 * 4);
    for (let y = 300; y < 501; y++) for (let x = 301; x < 451; x++) data.set([0, 0, 0, 255], (y * 800 + x) * 4);
    const full: PixelImage = { width: 800, height: 800, data, channels: 4 };
    const reduced = shrinkRgba(full, WORKING_SIZE);
    expect(Math.max(reduced.width, reduced.height)).toBe(WORKING_SIZE);
    const direct = prepareDigits(full);
    const twin = prepareDigits(greyTwin(full));
    // The same candidates from both (a square is one digit's worth of ink, or its halves), alike.
    expect(direct.inputs.length).toBeGreaterThanOrEqual(1);
    expect(twin.inputs).toHaveLength(direct.inputs.length);
    direct.inputs.forEach((input, i) => expect(worstDifference(input, twin.inputs[i]!)).toBeLessThan(0.05));
  });
});
