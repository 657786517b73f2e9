/**
 * Area-average downscale of decoded RGBA to the recognition core's working size, done right after
 * decoding. The core would reduce the image to the same size as its first step (toGrey, then an area
 * average to DEFAULT_MAX_SIDE); doing it here on 8-bit RGBA, with colour weighted by alpha, gives the
 * same grey values (compositing is linear in premultiplied colour) up to rounding, at a fraction of the
 * cost and memory for large photos.
 */
import { DEFAULT_MAX_SIDE } from '../../../model/preprocess.js';
import type { PixelImage } from '../../../model/types.js';

export interface ShrunkImage {
  image: PixelImage;
  /** Original pixels per shrunk pixel (>= 1), to map boxes back to the uploaded image. */
  factor: number;
}

export function shrink(image: PixelImage, maxSide = DEFAULT_MAX_SIDE): ShrunkImage {
  const { width, height, data } = image;
  const longest = Math.max(width, height);
  if (longest <= maxSide || image.channels !== 4) return { image, factor: 1 };
  // The same output size and pixel-to-cell mapping as the core's downscale().
  const scale = maxSide / longest;
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.min(outWidth - 1, Math.floor((x * outWidth) / width));
  const cells = outWidth * outHeight;
  // Per cell: sum of alpha-weighted R, G, B, sum of alpha, pixel count.
  const sums = new Float64Array(cells * 4);
  const counts = new Uint32Array(cells);
  for (let y = 0; y < height; y++) {
    const rowCell = Math.min(outHeight - 1, Math.floor((y * outHeight) / height)) * outWidth;
    let at = y * width * 4;
    for (let x = 0; x < width; x++, at += 4) {
      const cell = rowCell + column[x]!;
      const alpha = data[at + 3]!;
      const s = cell * 4;
      sums[s]! += data[at]! * alpha;
      sums[s + 1]! += data[at + 1]! * alpha;
      sums[s + 2]! += data[at + 2]! * alpha;
      sums[s + 3]! += alpha;
      counts[cell]!++;
    }
  }
  const out = new Uint8ClampedArray(cells * 4);
  for (let cell = 0; cell < cells; cell++) {
    const s = cell * 4;
    const alpha = sums[s + 3]!;
    if (alpha > 0) {
      out[s] = sums[s]! / alpha;
      out[s + 1] = sums[s + 1]! / alpha;
      out[s + 2] = sums[s + 2]! / alpha;
    }
    out[s + 3] = alpha / counts[cell]!;
  }
  return { image: { width: outWidth, height: outHeight, data: out, channels: 4 }, factor: longest / maxSide };
}
