/**
 * Photos of real handwriting for uploads: MNIST validation digits rendered as dark ink on light
 * paper with uneven light, noise and blur by the recognition core's test helpers
 * (model/testing/synthetic.ts), encoded as PNG or JPEG.
 */
import {
  createRandom,
  encodeJpeg,
  encodePng,
  loadValidationDigits,
  renderDigitPhoto,
  renderNumber,
} from '../../model/testing/synthetic.js';
import { DIGIT_PIXELS, type PixelImage } from '../../model/core/index.js';

let validation: ReturnType<typeof loadValidationDigits> | undefined;

/** The `nth` validation image of `digit` (DIGIT_PIXELS bytes, white on black). */
function sample(digit: number, nth: number): Uint8Array {
  validation ??= loadValidationDigits();
  let seen = 0;
  for (let i = 0; i < validation.count; i++) {
    if (validation.labels[i] === digit && seen++ === nth) return validation.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
  }
  throw new Error(`no validation image number ${nth} of digit ${digit}`);
}

export type PhotoFormat = 'png' | 'jpeg';

export interface Photo {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

function encode(image: PixelImage, format: PhotoFormat, name: string): Photo {
  const bytes = format === 'png' ? encodePng(image) : encodeJpeg(image, 85);
  return { name: `${name}.${format === 'png' ? 'png' : 'jpg'}`, mimeType: `image/${format}`, buffer: Buffer.from(bytes) };
}

/** A photo of a handwritten number such as "2026", one writer's digits side by side. */
export function numberPhoto(number: string, format: PhotoFormat, seed = 1): Photo {
  const image = renderNumber(
    [...number].map((d) => sample(Number(d), 1)),
    { random: createRandom(seed), height: 200 },
  );
  return encode(image, format, `number-${number}`);
}

/** A photo of one handwritten digit, somewhere on a 480x480 sheet. */
export function digitPhoto(digit: number, format: PhotoFormat, seed = 1): Photo {
  const image = renderDigitPhoto(sample(digit, 0), { random: createRandom(seed), size: 480, scale: [0.45, 0.7] });
  return encode(image, format, `digit-${digit}`);
}
