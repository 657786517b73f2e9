/**
 * The first stage of the pipeline: from any RGBA or grey pixel buffer to an ink map (how much ink
 * each pixel holds, whatever the polarity, lighting or backdrop). Pure TypeScript with no DOM, so the
 * browser, the worker and Node run the very same code.
 *
 * 1. reduce the image to the working size (area average; RGBA before anything else, so a large photo
 *    never exists as a full-size float copy);
 * 2. composite transparent pixels (canvas exports) and convert to grey;
 * 3. find the polarity (dark ink on light paper is inverted, so ink is bright as in MNIST);
 * 4. subtract the background estimated per block (uneven light in photos), then map the ink level
 *    to [0,1] with a soft ramp from the Otsu threshold, which removes paper noise but keeps
 *    anti-aliased edges.
 */
import { WORKING_SIZE } from './constants.js';
import type { PixelImage } from './types.js';

/** Ink intensity per pixel: 0 = background, 1 = full ink. */
export interface InkMap {
  readonly width: number;
  readonly height: number;
  readonly ink: Float32Array;
}

export interface InkOptions {
  /** Longer inputs are reduced (area average) to this longest side first; digits stay legible and work stays bounded. */
  maxSide?: number;
}
/** Below this contrast (in grey levels, 0-255) the image is treated as blank. */
const MIN_CONTRAST = 24;

/** Grey levels 0 (black) .. 255 (white) with alpha composited; light-on-transparent strokes go over black. */
export function toGrey(image: PixelImage): Float32Array {
  const { width, height, data, channels } = image;
  const count = width * height;
  if (data.length < count * channels)
    throw new Error(`pixel buffer holds ${data.length} values, ${width}x${height}x${channels} needs ${count * channels}`);
  const grey = new Float32Array(count);
  if (channels === 1) {
    for (let i = 0; i < count; i++) grey[i] = data[i]!;
    return grey;
  }
  // One pass writes the luminance and counts what the backdrop decision needs; opaque images (photos,
  // most uploads) are done after it.
  let transparent = 0;
  let opaqueLight = 0;
  let opaque = 0;
  let partial = 0;
  for (let i = 0, o = 0; i < count; i++, o += 4) {
    const luminance = 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
    grey[i] = luminance;
    const a = data[o + 3]!;
    if (a === 255) {
      opaque++;
      if (luminance > 160) opaqueLight++;
      continue;
    }
    partial++;
    if (a < 16) transparent++;
    else if (a > 128) {
      opaque++;
      if (luminance > 160) opaqueLight++;
    }
  }
  if (partial === 0) return grey;
  // Decide the backdrop: a drawing of light strokes on a transparent canvas must not vanish on white.
  const backdrop = transparent > count * 0.05 && opaque > 0 && opaqueLight > opaque / 2 ? 0 : 255;
  for (let i = 0, o = 3; i < count; i++, o += 4) {
    const alpha = data[o]! / 255;
    grey[i] = alpha * grey[i]! + (1 - alpha) * backdrop;
  }
  return grey;
}

/**
 * Area-average reduction of RGBA so the longest side is at most `maxSide`, colour weighted by alpha:
 * the same grey values as reducing the grey image (compositing is linear in premultiplied colour) up
 * to rounding, at a fraction of the cost and memory for large photos. Grey images pass unchanged.
 */
export function shrinkRgba(image: PixelImage, maxSide: number): PixelImage {
  const { width, height, data } = image;
  const longest = Math.max(width, height);
  if (longest <= maxSide || image.channels !== 4) return image;
  // The same output size and pixel-to-cell mapping as downscale().
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
  return { width: outWidth, height: outHeight, data: out, channels: 4 };
}

/** Area-average downscale so the longest side is at most `maxSide`. */
export function downscale(
  values: Float32Array,
  width: number,
  height: number,
  maxSide: number,
): { values: Float32Array; width: number; height: number; scale: number } {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { values, width, height, scale: 1 };
  const scale = maxSide / longest;
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const out = new Float32Array(outWidth * outHeight);
  const weight = new Float32Array(outWidth * outHeight);
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.min(outWidth - 1, Math.floor((x * outWidth) / width));
  for (let y = 0; y < height; y++) {
    const row = Math.min(outHeight - 1, Math.floor((y * outHeight) / height)) * outWidth;
    const offset = y * width;
    for (let x = 0; x < width; x++) {
      out[row + column[x]!]! += values[offset + x]!;
      weight[row + column[x]!]! += 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i]! /= weight[i]!;
  return { values: out, width: outWidth, height: outHeight, scale: outWidth / width };
}

function histogram(values: Float32Array): Uint32Array {
  const bins = new Uint32Array(256);
  // Values are grey levels in [0, 255]; an indexed loop with integer rounding keeps this cheap.
  for (let i = 0; i < values.length; i++) bins[(values[i]! + 0.5) | 0]!++;
  return bins;
}

function percentile(bins: Uint32Array, total: number, fraction: number): number {
  const target = fraction * total;
  let seen = 0;
  for (let i = 0; i < 256; i++) {
    seen += bins[i]!;
    if (seen >= target) return i;
  }
  return 255;
}

/** Otsu's threshold over a 256-bin histogram. */
export function otsuThreshold(bins: Uint32Array): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += bins[i]!;
    sum += i * bins[i]!;
  }
  let backgroundWeight = 0;
  let backgroundSum = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    backgroundWeight += bins[t]!;
    if (backgroundWeight === 0) continue;
    const foregroundWeight = total - backgroundWeight;
    if (foregroundWeight === 0) break;
    backgroundSum += t * bins[t]!;
    const meanBackground = backgroundSum / backgroundWeight;
    const meanForeground = (sum - backgroundSum) / foregroundWeight;
    const between = backgroundWeight * foregroundWeight * (meanBackground - meanForeground) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/**
 * The residual ink signal: the signal above the local background level, for photos with uneven
 * light. The background is a low percentile of each block of about 64 px (paper dominates the low
 * end of any block), bilinearly interpolated, and held within `maxDeviation` of the global paper
 * level so a block filled with a thick stroke is not taken for paper. Small images (drawings, MNIST)
 * get one block: a flat background. The signal is the grey value, inverted when the ink is dark;
 * `bins` receives the residual's histogram (one pass computes both).
 */
function subtractBackground(
  values: Float32Array,
  width: number,
  height: number,
  darkInk: boolean,
  paper: number,
  bins: Uint32Array,
  maxDeviation = 60,
): Float32Array {
  const cellsX = Math.max(1, Math.min(6, Math.round(width / 64)));
  const cellsY = Math.max(1, Math.min(6, Math.round(height / 64)));
  const levels = new Float32Array(cellsX * cellsY);
  const blockBins = new Uint32Array(256);
  for (let cy = 0; cy < cellsY; cy++)
    for (let cx = 0; cx < cellsX; cx++) {
      const x0 = Math.floor((cx * width) / cellsX),
        x1 = Math.floor(((cx + 1) * width) / cellsX);
      const y0 = Math.floor((cy * height) / cellsY),
        y1 = Math.floor(((cy + 1) * height) / cellsY);
      blockBins.fill(0);
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        if (darkInk) for (let x = x0; x < x1; x++) blockBins[(255 - values[row + x]! + 0.5) | 0]!++;
        else for (let x = x0; x < x1; x++) blockBins[(values[row + x]! + 0.5) | 0]!++;
      }
      const level = percentile(blockBins, (x1 - x0) * (y1 - y0), 0.25);
      levels[cy * cellsX + cx] = Math.max(paper - maxDeviation, Math.min(paper + maxDeviation, level));
    }
  const residual = new Float32Array(width * height);
  const sign = darkInk ? -1 : 1;
  const offset = darkInk ? 255 : 0;
  if (levels.length === 1) {
    const level = levels[0]!;
    for (let i = 0; i < residual.length; i++) {
      const r = Math.max(0, offset + sign * values[i]! - level);
      residual[i] = r;
      bins[(r + 0.5) | 0]!++;
    }
    return residual;
  }
  // Per-column interpolation weights, computed once.
  const left = new Int32Array(width),
    right = new Int32Array(width),
    weightRight = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const gx = Math.max(0, Math.min(cellsX - 1, ((x + 0.5) * cellsX) / width - 0.5));
    left[x] = Math.floor(gx);
    right[x] = Math.min(cellsX - 1, left[x]! + 1);
    weightRight[x] = gx - left[x]!;
  }
  // The rows' interpolated levels per cell column, recomputed per row (cheap: at most 6 values).
  const top = new Float32Array(cellsX);
  for (let y = 0; y < height; y++) {
    const gy = Math.max(0, Math.min(cellsY - 1, ((y + 0.5) * cellsY) / height - 0.5));
    const y0 = Math.floor(gy),
      y1 = Math.min(cellsY - 1, y0 + 1),
      fy = gy - y0;
    for (let cx = 0; cx < cellsX; cx++) top[cx] = levels[y0 * cellsX + cx]! * (1 - fy) + levels[y1 * cellsX + cx]! * fy;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const fx = weightRight[x]!;
      const level = top[left[x]!]! * (1 - fx) + top[right[x]!]! * fx;
      const r = Math.max(0, offset + sign * values[row + x]! - level);
      residual[row + x] = r;
      bins[(r + 0.5) | 0]!++;
    }
  }
  return residual;
}

/** How far from ink (px, in every direction) a pixel still counts as its anti-aliased rim. */
const RIM_WIDTH = 2;

/**
 * The paper's noise for the blank test: the 95th percentile of the residual among paper pixels (those
 * at or under the threshold), leaving out the anti-aliased rims within 2 px of ink. In a photo the rims are a sliver
 * of the paper; in an image that is only the digit (a 16x16 scan, the digit touching the edges) they
 * are most of it, and counted as noise they made the ink look no stronger than the paper. When
 * hardly any paper is left that far from "ink" (a tight digit, or a field of noise where everything
 * is near a peak), the smaller of the plain percentile and three medians stands.
 */
function paperNoiseLevel(
  residual: Float32Array,
  width: number,
  height: number,
  threshold: number,
  paperCount: number,
  plain: number,
): number {
  const near = new Uint8Array(width * height);
  for (let i = 0; i < near.length; i++) near[i] = residual[i]! > threshold ? 1 : 0;
  dilateSquare(near, width, height, RIM_WIDTH);
  const bins = new Uint32Array(256);
  let kept = 0;
  for (let i = 0; i < near.length; i++) {
    if (near[i]) continue;
    bins[(residual[i]! + 0.5) | 0]!++;
    kept++;
  }
  if (kept >= 0.2 * paperCount) return percentile(bins, kept, 0.95);
  // Noise is spread around the paper level, rims are not: three times the median is what the 95th
  // percentile of noise would be, and the smaller of the two can only be the noise.
  const paper = new Uint32Array(256);
  for (let i = 0; i < residual.length; i++) if (residual[i]! <= threshold) paper[(residual[i]! + 0.5) | 0]!++;
  return Math.min(plain, 3 * percentile(paper, paperCount, 0.5));
}

/**
 * Square dilation of a 0/1 mask by `radius` (what `radius` passes of 3x3 dilation give), in place:
 * separable, a row pass then a column pass, each a running count over the window, so linear in the
 * image whatever the radius.
 */
function dilateSquare(mask: Uint8Array, width: number, height: number, radius: number): void {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let inWindow = 0; // set pixels in [x - radius, x + radius]
    for (let x = 0; x < Math.min(radius, width); x++) inWindow += mask[row + x]!;
    for (let x = 0; x < width; x++) {
      if (x + radius < width) inWindow += mask[row + x + radius]!;
      if (x - radius - 1 >= 0) inWindow -= mask[row + x - radius - 1]!;
      rows[row + x] = inWindow > 0 ? 1 : 0;
    }
  }
  for (let x = 0; x < width; x++) {
    let inWindow = 0;
    for (let y = 0; y < Math.min(radius, height); y++) inWindow += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      if (y + radius < height) inWindow += rows[(y + radius) * width + x]!;
      if (y - radius - 1 >= 0) inWindow -= rows[(y - radius - 1) * width + x]!;
      mask[y * width + x] = inWindow > 0 ? 1 : 0;
    }
  }
}

/**
 * The ink map of an image: bright where there is ink, whatever the polarity, lighting or backdrop.
 * Returns the map at working resolution and the factor from input pixels to it.
 */
export function toInkMap(image: PixelImage, options: InkOptions = {}): InkMap & { scale: number; blank: boolean } {
  const maxSide = options.maxSide ?? WORKING_SIZE;
  const shrunk = shrinkRgba(image, maxSide);
  const small = downscale(toGrey(shrunk), shrunk.width, shrunk.height, maxSide);
  const { width, height } = small;
  const values = small.values;
  // From input pixels to working pixels, through both reductions.
  const scale = width / image.width;
  const count = width * height;
  const bins = histogram(values);
  // Extreme percentiles: a small digit on a large page can be well under 1% of the pixels.
  const low = percentile(bins, count, 0.001);
  const high = percentile(bins, count, 0.999);
  const median = percentile(bins, count, 0.5);
  if (high - low < MIN_CONTRAST) return { width, height, ink: new Float32Array(count), scale, blank: true };
  // Paper is the majority: a median nearer the light end means dark ink on light paper.
  const darkInk = median - low > high - median;
  const paper = darkInk ? 255 - median : median;
  const residualBins = new Uint32Array(256);
  const residual = subtractBackground(values, width, height, darkInk, paper, residualBins);
  const threshold = Math.max(otsuThreshold(residualBins), 8);
  // The ink level: a high percentile of the pixels above the threshold.
  let above = 0;
  for (let i = threshold + 1; i < 256; i++) above += residualBins[i]!;
  if (above === 0) return { width, height, ink: new Float32Array(count), scale, blank: true };
  let seen = 0;
  let inkLevel = 255;
  for (let i = 255; i > threshold; i--) {
    seen += residualBins[i]!;
    if (seen >= above * 0.1) {
      inkLevel = i;
      break;
    }
  }
  // The ramp starts just above the paper's noise (the 95th percentile of the residual among paper
  // pixels), so clean images keep their faint anti-aliased edges and noisy photos lose their grain.
  let paperCount = 0;
  for (let i = 0; i <= threshold; i++) paperCount += residualBins[i]!;
  const paperNoise = percentile(residualBins, paperCount, 0.95);
  const floor = Math.min(threshold * 0.5, Math.max(4, paperNoise * 1.2));
  // Blank paper with sensor noise still has "contrast": the noise's own upper tail. Ink stands
  // well clear of it; anything that does not is no ink at all.
  // (The finer noise estimate costs two passes over the image: only when the plain one says blank.)
  if (
    inkLevel < Math.max(2 * MIN_CONTRAST, 3 * paperNoise) &&
    inkLevel < Math.max(2 * MIN_CONTRAST, 3 * paperNoiseLevel(residual, width, height, threshold, paperCount, paperNoise))
  )
    return { width, height, ink: new Float32Array(count), scale, blank: true };
  const span = Math.max(1, inkLevel - floor);
  // In place: the residual is not needed any more.
  const ink = residual;
  const inverseSpan = 1 / span;
  for (let i = 0; i < count; i++) {
    const v = (ink[i]! - floor) * inverseSpan;
    ink[i] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return { width, height, ink, scale, blank: false };
}
