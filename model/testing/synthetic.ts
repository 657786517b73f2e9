/**
 * Synthetic "real-world" inputs built from real handwriting (MNIST validation digits): photos of
 * dark ink on light paper with uneven light, noise, blur and JPEG, transparent canvas exports,
 * and whole numbers. Used by tests and benchmarks of every part; never by training.
 */
import UPNG from 'upng-js';
import jpeg from 'jpeg-js';
import { createRandom, gaussian, uniform, type Random } from '../training/random.js';
import { DIGIT_SIDE, type PixelImage } from '../core/index.js';

export { createRandom };

export interface PhotoOptions {
  random: Random;
  /** Image side in pixels (square unless width/height are given). */
  size?: number;
  width?: number;
  height?: number;
  /** Digit height as a fraction of the image height (range). */
  scale?: [number, number];
  /** Gaussian noise standard deviation in grey levels. */
  noise?: number;
  /** Strength of the lighting gradient in grey levels. */
  lightGradient?: number;
  /** Extra box blur radius in pixels (0 = none). */
  blur?: number;
}

/** Bilinear sample of a 28x28 byte digit (0..255) at fractional coordinates; 0 outside. */
function sampleDigit(digit: ArrayLike<number>, x: number, y: number): number {
  const x0 = Math.floor(x),
    y0 = Math.floor(y);
  const fx = x - x0,
    fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx > 27 || yy > 27 ? 0 : digit[yy * 28 + xx]! / 255);
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/** Ink coverage map (0..1) of one image with digits placed at given rectangles (of the 28x28 field). */
function placeDigits(
  width: number,
  height: number,
  placements: { digit: ArrayLike<number>; x: number; y: number; side: number }[],
): Float32Array {
  const ink = new Float32Array(width * height);
  for (const p of placements) {
    const x0 = Math.max(0, Math.floor(p.x)),
      x1 = Math.min(width, Math.ceil(p.x + p.side));
    const y0 = Math.max(0, Math.floor(p.y)),
      y1 = Math.min(height, Math.ceil(p.y + p.side));
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const v = sampleDigit(p.digit, ((x + 0.5 - p.x) / p.side) * 28 - 0.5, ((y + 0.5 - p.y) / p.side) * 28 - 0.5);
        if (v > ink[y * width + x]!) ink[y * width + x] = v;
      }
  }
  return ink;
}

function boxBlur(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  if (radius <= 0) return values;
  const tmp = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0,
        n = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k;
        if (xx >= 0 && xx < width) {
          sum += values[y * width + xx]!;
          n++;
        }
      }
      tmp[y * width + x] = sum / n;
    }
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0,
        n = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k;
        if (yy >= 0 && yy < height) {
          sum += tmp[yy * width + x]!;
          n++;
        }
      }
      out[y * width + x] = sum / n;
    }
  return out;
}

/** Paints ink coverage as dark ink on light paper with uneven light and sensor noise; opaque RGBA. */
function paint(ink: Float32Array, width: number, height: number, options: PhotoOptions): PixelImage {
  const r = options.random;
  const paper = [uniform(r, 200, 250), uniform(r, 195, 245), uniform(r, 185, 240)];
  const inkColor =
    r() < 0.5
      ? [uniform(r, 10, 60), uniform(r, 10, 60), uniform(r, 10, 60)]
      : [uniform(r, 10, 40), uniform(r, 20, 60), uniform(r, 80, 140)];
  const gradient = options.lightGradient ?? 40;
  const angle = uniform(r, 0, Math.PI * 2);
  const gx = Math.cos(angle),
    gy = Math.sin(angle);
  const noise = options.noise ?? 8;
  const blurred = boxBlur(ink, width, height, options.blur ?? 0);
  // A table of normal deviates, indexed at random: far cheaper than Box-Muller per channel.
  const normals = Float32Array.from({ length: 4096 }, () => gaussian(r));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const light = gradient * ((x / width - 0.5) * gx + (y / height - 0.5) * gy);
      const v = blurred[i]!;
      for (let c = 0; c < 3; c++) data[i * 4 + c] = paper[c]! * (1 - v) + inkColor[c]! * v + light + noise * normals[(r() * 4096) | 0]!;
      data[i * 4 + 3] = 255;
    }
  return { width, height, data, channels: 4 };
}

/** One MNIST digit (DIGIT_PIXELS bytes, white on black) as a photo of dark ink on light paper, off-centre. */
export function renderDigitPhoto(digit: ArrayLike<number>, options: PhotoOptions): PixelImage {
  const r = options.random;
  const width = options.width ?? options.size ?? 300;
  const height = options.height ?? options.size ?? 300;
  const [lo, hi] = options.scale ?? [0.3, 0.8];
  // The MNIST field is 28 px with the digit in its central 20: scale the field so the digit gets the asked height.
  const side = (uniform(r, lo, hi) * height * 28) / 20;
  const x = uniform(r, -side * 0.1, width - side * 0.9);
  const y = uniform(r, -side * 0.1, height - side * 0.9);
  return paint(placeDigits(width, height, [{ digit, x, y, side }]), width, height, options);
}

export interface NumberOptions extends PhotoOptions {
  /** Gap between digit fields as a fraction of the field side (negative = closer; MNIST fields have 4/28 margins). */
  gap?: [number, number];
}

/** Several digits written left to right, as a photo. */
export function renderNumber(digits: ArrayLike<number>[], options: NumberOptions): PixelImage {
  const r = options.random;
  const height = options.height ?? 160;
  const side = (height * 0.6 * 28) / 20;
  const [gapLo, gapHi] = options.gap ?? [-0.1, 0.15];
  const placements: { digit: ArrayLike<number>; x: number; y: number; side: number }[] = [];
  let x = side * 0.3;
  for (const digit of digits) {
    const s = side * uniform(r, 0.85, 1.1);
    placements.push({ digit, x, y: (height - s) / 2 + uniform(r, -0.08, 0.08) * height, side: s });
    x += s * (0.75 + uniform(r, gapLo, gapHi));
  }
  const width = options.width ?? Math.ceil(x + side * 0.5);
  return paint(placeDigits(width, height, placements), width, height, options);
}

/** A digit drawn on a transparent canvas (what `canvas.toBlob()` of a drawing pad gives): ink only in alpha. */
export function renderTransparentCanvas(
  digit: ArrayLike<number>,
  options: { size?: number; color?: [number, number, number]; random: Random },
): PixelImage {
  const size = options.size ?? 280;
  const side = (size * 0.7 * 28) / 20;
  const ink = placeDigits(size, size, [{ digit, x: (size - side) / 2 + uniform(options.random, -20, 20), y: (size - side) / 2, side }]);
  const [red, green, blue] = options.color ?? [0, 0, 0];
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    data[i * 4] = red;
    data[i * 4 + 1] = green;
    data[i * 4 + 2] = blue;
    data[i * 4 + 3] = Math.round(ink[i]! * 255);
  }
  return { width: size, height: size, data, channels: 4 };
}

/** RGBA view of any PixelImage. */
function rgba(image: PixelImage): Uint8Array {
  if (image.channels === 4) return new Uint8Array(image.data.buffer, image.data.byteOffset, image.width * image.height * 4);
  const out = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    out.fill(image.data[i]!, i * 4, i * 4 + 3);
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function encodePng(image: PixelImage): Uint8Array {
  const pixels = rgba(image).slice();
  return new Uint8Array(UPNG.encode([pixels.buffer], image.width, image.height, 0));
}

export function encodeJpeg(image: PixelImage, quality = 80): Uint8Array {
  const encoded = jpeg.encode({ data: rgba(image), width: image.width, height: image.height }, quality);
  return new Uint8Array(encoded.data);
}

/** Decodes PNG or JPEG bytes to RGBA (for round trips in tests). */
export function decodeImage(bytes: Uint8Array): PixelImage {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = UPNG.decode(bytes.slice().buffer);
    return { width: png.width, height: png.height, data: new Uint8Array(UPNG.toRGBA8(png)[0]!), channels: 4 };
  }
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: decoded.width, height: decoded.height, data: decoded.data, channels: 4 };
}

/** MNIST digit bytes (white on black) as a PixelImage, unchanged. */
export function mnistImage(digit: Uint8Array): PixelImage {
  return { width: DIGIT_SIDE, height: DIGIT_SIDE, data: digit, channels: 1 };
}

export { loadValidationFromNpm as loadValidationDigits } from '../training/data/mnist.js';
