/**
 * The worker shrinks large decoded images before the recognition core sees them; the core would
 * shrink them the same way itself. This proves the two give the same model inputs, so server answers
 * match the element's for the same picture.
 */
import { describe, expect, it } from 'vitest';
import { prepareDigits } from '../../model/recognize.js';
import { decodeImage } from '../src/images/decode.js';
import { shrink } from '../src/images/shrink.js';
import { bytesOf, entriesOf } from './fixtures/index.js';

describe('shrink before preprocessing', () => {
  it('leaves images within the working size untouched', async () => {
    const image = await decodeImage(bytesOf(entriesOf('digit', 'png')[0]!));
    expect(shrink(image).image).toBe(image);
  });

  it.each(entriesOf('large', 'png').map((e) => [`${e.width}x${e.height} "${e.expected}"`, e] as const))('gives the core the same digits as the full image: %s', async (_, entry) => {
    const full = await decodeImage(bytesOf(entry));
    const { image, factor } = shrink(full);
    expect(Math.max(image.width, image.height)).toBe(400);
    expect(factor).toBeCloseTo(2.5);
    const direct = prepareDigits(full);
    const shrunk = prepareDigits(image);
    expect(shrunk.inputs).toHaveLength(direct.inputs.length);
    direct.inputs.forEach((input, i) => {
      let worst = 0;
      for (let p = 0; p < input.length; p++) worst = Math.max(worst, Math.abs(input[p]! - shrunk.inputs[i]![p]!));
      expect(worst).toBeLessThan(0.05); // 8-bit rounding of the shrunk RGBA
    });
    direct.boxes.forEach((box, i) => {
      expect(Math.abs(shrunk.boxes[i]!.x * factor - box.x)).toBeLessThanOrEqual(factor);
      expect(Math.abs(shrunk.boxes[i]!.width * factor - box.width)).toBeLessThanOrEqual(2 * factor);
    });
  });

  it('averages alpha-weighted colour, so a transparent canvas export composites as before', () => {
    // 800x800 transparent canvas with an opaque black square: semi-transparent edges after shrinking.
    const data = new Uint8ClampedArray(800 * 800 * 4);
    for (let y = 300; y < 501; y++) for (let x = 301; x < 451; x++) data.set([0, 0, 0, 255], (y * 800 + x) * 4);
    const full = { width: 800, height: 800, data, channels: 4 as const };
    const direct = prepareDigits(full);
    const shrunk = prepareDigits(shrink(full).image);
    expect(direct.inputs).toHaveLength(1);
    expect(shrunk.inputs).toHaveLength(1);
    let worst = 0;
    for (let p = 0; p < 784; p++) worst = Math.max(worst, Math.abs(direct.inputs[0]![p]! - shrunk.inputs[0]![p]!));
    expect(worst).toBeLessThan(0.05);
  });
});
