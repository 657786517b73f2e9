/**
 * Inputs built to make the recognition core work hard: thousands of marks, dense texture, pages of
 * text. The core must answer each quickly, with digits or a clear "too many marks"/"no digit", never
 * by working in proportion to the number of marks squared. Shared by the core's tests, the worker's
 * tests and `npm run bench:worker`. All are grey images, dark ink on white.
 */
import type { PixelImage } from '../core/index.js';
import { createRandom } from '../training/random.js';

function blank(width: number, height: number): { image: PixelImage; data: Uint8ClampedArray } {
  const data = new Uint8ClampedArray(width * height).fill(255);
  return { image: { width, height, data, channels: 1 }, data };
}

/**
 * The 875-byte PNG that held the worker for half a minute (issue 14): 120 one-pixel bars of 8 px in
 * columns 0-119 (alternating rows 0-7 and 9-16), then from column 165 every other column, bars of
 * 8 px stacked with 1 px gaps. 400x400, 8-bit grey, white background.
 */
export function barsBomb(): PixelImage {
  const { image, data } = blank(400, 400);
  for (let x = 0; x < 120; x++) {
    const top = x % 2 === 0 ? 0 : 9;
    for (let y = top; y < top + 8; y++) data[y * 400 + x] = 0;
  }
  for (let x = 165; x < 400; x += 2) for (let top = 0; top + 8 <= 400; top += 9) for (let y = top; y < top + 8; y++) data[y * 400 + x] = 0;
  return image;
}

/** Diagonal hatching over the whole image. */
export function hatching(size = 400, spacing = 6): PixelImage {
  const { image, data } = blank(size, size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x + y) % spacing === 0) data[y * size + x] = 0;
  return image;
}

/** Salt-and-pepper noise: every pixel black with probability `density`. */
export function noiseField(size = 400, density = 0.3, seed = 1): PixelImage {
  const random = createRandom(seed);
  const { image, data } = blank(size, size);
  for (let i = 0; i < data.length; i++) if (random() < density) data[i] = 0;
  return image;
}

export function checkerboard(size = 400, cell = 2): PixelImage {
  const { image, data } = blank(size, size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0) data[y * size + x] = 0;
  return image;
}

export function dotGrid(size = 400, spacing = 5): PixelImage {
  const { image, data } = blank(size, size);
  for (let y = 2; y < size; y += spacing) for (let x = 2; x < size; x += spacing) data[y * size + x] = 0;
  return image;
}

/** A page of "printed text": 30 lines of small glyph-like marks (bars, hooks, loops) with word gaps. */
export function textPage(width = 800, height = 1000, seed = 2): PixelImage {
  const random = createRandom(seed);
  const { image, data } = blank(width, height);
  const set = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) data[y * width + x] = 0;
  };
  for (let line = 0; line < 30; line++) {
    const base = 30 + line * 32;
    let x = 20;
    while (x < width - 30) {
      const glyphs = 2 + Math.floor(random() * 7);
      for (let g = 0; g < glyphs && x < width - 30; g++) {
        const h = 8 + Math.floor(random() * 8),
          w = 5 + Math.floor(random() * 4);
        const kind = Math.floor(random() * 3);
        for (let t = 0; t < h; t++) {
          set(x, base - t);
          if (kind > 0) set(x + w - 1, base - t);
        }
        for (let t = 0; t < w; t++) {
          if (kind === 1) set(x + t, base - h + 1);
          set(x + t, base);
        }
        x += w + 2;
      }
      x += 6 + Math.floor(random() * 4);
    }
  }
  return image;
}

export interface AdversarialCase {
  name: string;
  image: () => PixelImage;
}

export const ADVERSARIAL_CASES: readonly AdversarialCase[] = [
  { name: 'the 875-byte bars bomb', image: barsBomb },
  { name: 'hatching', image: () => hatching() },
  { name: 'a noise field', image: () => noiseField() },
  { name: 'a fine checkerboard', image: () => checkerboard(400, 2) },
  { name: 'a coarse checkerboard', image: () => checkerboard(400, 12) },
  { name: 'a grid of dots', image: () => dotGrid() },
  { name: 'a page of printed text', image: () => textPage() },
];
