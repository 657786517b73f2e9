/**
 * The marks of an ink map: its 8-connected components with their boxes and areas, the typical stroke
 * width and the height of the line of writing. Everything here is linear in the pixels (one labelling
 * pass, one run-length pass); no pair of marks is ever compared.
 */
import type { InkMap } from './ink-map.js';

/** Ink level that counts as a stroke pixel. */
export const STROKE_THRESHOLD = 0.3;

/** Connected components of a stroke mask, as parallel typed arrays (mark i: minX[i], ...). */
export interface Marks {
  /** Per pixel: the mark it belongs to, or -1 for paper. */
  labels: Int32Array;
  count: number;
  minX: Int32Array;
  maxX: Int32Array;
  minY: Int32Array;
  maxY: Int32Array;
  area: Int32Array;
}

export const widthOf = (m: Marks, i: number) => m.maxX[i]! - m.minX[i]! + 1;
export const heightOf = (m: Marks, i: number) => m.maxY[i]! - m.minY[i]! + 1;

/** Pixels at or above the stroke threshold. */
export function strokeMask(map: InkMap, threshold = STROKE_THRESHOLD): Uint8Array {
  const mask = new Uint8Array(map.width * map.height);
  for (let i = 0; i < mask.length; i++) mask[i] = map.ink[i]! >= threshold ? 1 : 0;
  return mask;
}

/** 8-connected components of `mask`, by flood fill with an explicit stack (each pixel visited once). */
export function findMarks(mask: Uint8Array, width: number, height: number): Marks {
  const labels = new Int32Array(width * height).fill(-1);
  const boxes: number[] = [];
  const stack = new Int32Array(width * height);
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start] !== -1) continue;
    const id = count++;
    let minX = width,
      minY = height,
      maxX = -1,
      maxY = -1,
      area = 0,
      top = 0;
    labels[start] = id;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % width,
        y = (p - x) / width;
      area++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] && labels[q] === -1) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    boxes.push(minX, maxX, minY, maxY, area);
  }
  const pick = (k: number) => Int32Array.from({ length: count }, (_, i) => boxes[i * 5 + k]!);
  return { labels, count, minX: pick(0), maxX: pick(1), minY: pick(2), maxY: pick(3), area: pick(4) };
}

/**
 * The typical stroke width: the median length of the horizontal runs of stroke pixels (a run crosses
 * a stroke; slanted strokes make it a little wider, which errs on the safe side for specks).
 */
export function strokeWidth(mask: Uint8Array, width: number, height: number): number {
  const runs = new Uint32Array(65);
  let total = 0;
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = 0; x <= width; x++) {
      if (x < width && mask[y * width + x]) run++;
      else if (run > 0) {
        runs[Math.min(64, run)]!++;
        total++;
        run = 0;
      }
    }
  }
  let seen = 0;
  for (let r = 1; r <= 64; r++) {
    seen += runs[r]!;
    if (seen * 2 >= total) return r;
  }
  return 1;
}

/** The median of a list of numbers (0 for none). */
export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

/** The orientation and elongation of a mark's pixels (second moments). */
export interface Shape {
  /** Angle of the main axis from vertical, in degrees; positive when the top leans right. */
  lean: number;
  /** Length over width of the main axis (1 for a blob, large for a straight stroke). */
  elongation: number;
}

/** The shape of mark `m`, from the pixels of its box only. */
export function markShape(marks: Marks, m: number, width: number): Shape {
  let n = 0,
    sx = 0,
    sy = 0,
    sxx = 0,
    syy = 0,
    sxy = 0;
  for (let y = marks.minY[m]!; y <= marks.maxY[m]!; y++)
    for (let x = marks.minX[m]!; x <= marks.maxX[m]!; x++) {
      if (marks.labels[y * width + x] !== m) continue;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  const mx = sx / n,
    my = sy / n;
  const vxx = sxx / n - mx * mx + 1 / 12,
    vyy = syy / n - my * my + 1 / 12,
    vxy = sxy / n - mx * my;
  const spread = Math.sqrt(((vxx - vyy) / 2) ** 2 + vxy * vxy);
  const major = (vxx + vyy) / 2 + spread,
    minor = Math.max(1e-6, (vxx + vyy) / 2 - spread);
  // Direction of the major axis from the x axis; y grows downwards, so a top leaning right has x
  // growing as y falls.
  const angle = 0.5 * Math.atan2(2 * vxy, vxx - vyy);
  let fromVertical = 90 - (angle * 180) / Math.PI;
  if (fromVertical > 90) fromVertical -= 180;
  return { lean: -fromVertical, elongation: Math.sqrt(major / minor) };
}
