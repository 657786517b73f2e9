/**
 * Browser commands: code the tests call from the page that runs in Node. They make photo fixtures
 * from real handwriting (MNIST validation digits rendered as photos by the recognition core's test
 * helpers), so the upload tests read photos of real handwriting, not drawings of our own.
 */
import type { BrowserCommand } from 'vitest/node';
import { createRandom, encodeJpeg, encodePng, loadValidationDigits, renderDigitPhoto, renderNumber } from '../../../model/testing/synthetic.js';

let digits: ReturnType<typeof loadValidationDigits> | undefined;

/** The `nth` validation image of `digit` (784 bytes). */
function sample(digit: number, nth = 0): Uint8Array {
  digits ??= loadValidationDigits();
  let seen = 0;
  for (let i = 0; i < digits.count; i++) {
    if (digits.labels[i] === digit && seen++ === nth) return digits.images.subarray(i * 784, (i + 1) * 784);
  }
  throw new Error(`no validation image number ${nth} of digit ${digit}`);
}

export type PhotoFormat = 'png' | 'jpeg';

/** A photo of one handwritten digit, base64-encoded. */
export const digitPhoto: BrowserCommand<[digit: number, format: PhotoFormat, seed?: number]> = (_context, digit, format, seed = 1) => {
  const image = renderDigitPhoto(sample(digit), { random: createRandom(seed), size: 320, scale: [0.45, 0.7] });
  const bytes = format === 'png' ? encodePng(image) : encodeJpeg(image, 85);
  return Buffer.from(bytes).toString('base64');
};

/** A photo of a handwritten number, e.g. "409", base64-encoded PNG. */
export const numberPhoto: BrowserCommand<[number: string, seed?: number]> = (_context, number, seed = 1) => {
  const image = renderNumber([...number].map((d) => sample(Number(d), 1)), { random: createRandom(seed), height: 160 });
  return Buffer.from(encodePng(image)).toString('base64');
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    digitPhoto: (digit: number, format: PhotoFormat, seed?: number) => Promise<string>;
    numberPhoto: (number: string, seed?: number) => Promise<string>;
  }
}
