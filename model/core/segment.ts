/**
 * Segmentation, the pipeline's second stage: an ink map into digits, left to right, each a box and
 * the pixels that are its own. Connected components of the ink, specks dropped, broken strokes
 * merged (pieces that overlap in x belong to one digit, since numbers are written in a row),
 * touching digits split at the weakest column near the expected cut.
 */
import { MAX_DIGITS } from './constants.js';
import { TooManyDigitsError } from './errors.js';
import type { InkMap } from './ink-map.js';
import type { Box } from './types.js';

export interface SegmentOptions {
  /** Ink level that counts as a stroke pixel. */
  inkThreshold?: number;
  /** At most this many digits; more raises TooManyDigitsError. */
  maxDigits?: number;
  /** Treat the whole image as one digit (no splitting), e.g. a single-digit drawing pad. */
  single?: boolean;
  /** A mark wider than this times the digit height is split into touching digits (default 1.25). */
  splitAspect?: number;
}

export interface Segment {
  /** Box in ink-map pixels. */
  box: Box;
  /** Whether the ink-map pixel (x, y) inside the box belongs to this digit (its strokes and their rims). */
  owns: (x: number, y: number) => boolean;
}
/** Digits are taller than wide; two touching digits are about 1.2-1.5x wider than tall. */
export const DEFAULT_SPLIT_ASPECT = 1.25;
const LONE_MARK_SPLIT_ASPECT = 1.6;

interface Component {
  labels: number[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  area: number;
  /** For a piece split from touching digits: exactly which stroke pixels (map indices) are its own. */
  pixels?: Set<number>;
}

/** 8-connected components of `mask` (1 = ink); returns the label image and the components. */
function connectedComponents(mask: Uint8Array, width: number, height: number): { labels: Int32Array; components: Component[] } {
  const labels = new Int32Array(width * height).fill(-1);
  const components: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start] !== -1) continue;
    const id = components.length;
    const c: Component = { labels: [id], minX: width, minY: height, maxX: -1, maxY: -1, area: 0 };
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width, y = (p - x) / width;
      c.area++;
      if (x < c.minX) c.minX = x;
      if (x > c.maxX) c.maxX = x;
      if (y < c.minY) c.minY = y;
      if (y > c.maxY) c.maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] && labels[q] === -1) {
            labels[q] = id;
            stack.push(q);
          }
        }
      }
    }
    components.push(c);
  }
  return { labels, components };
}

const widthOf = (c: Component) => c.maxX - c.minX + 1;
const heightOf = (c: Component) => c.maxY - c.minY + 1;

function merge(a: Component, b: Component): Component {
  return {
    labels: [...a.labels, ...b.labels],
    minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY),
    maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY),
    area: a.area + b.area,
  };
}

/**
 * Merges the pieces of one digit written with a broken stroke:
 * - pieces whose column ranges overlap by at least half of the narrower one (numbers run left to
 *   right, so stacked pieces are one digit);
 * - a piece much shorter than a neighbour, sharing some of its rows and touching or nearly touching it
 *   (the detached bar of a 5, the open arm of a 4);
 * - two neighbouring pieces both far shorter than the typical mark (a 2 written in two strokes).
 */
function mergeBrokenStrokes(components: Component[]): Component[] {
  const sorted = [...components].sort((a, b) => a.minX - b.minX);
  const typical = median(components.map(heightOf));
  const belongTogether = (a: Component, b: Component) => {
    const overlap = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX) + 1;
    if (overlap >= 0.5 * Math.min(widthOf(a), widthOf(b))) return true;
    const [small, large] = heightOf(a) < heightOf(b) ? [a, b] : [b, a];
    const tolerance = 0.1 * heightOf(large);
    const within = small.maxY >= large.minY - tolerance && small.minY <= large.maxY + tolerance;
    const gap = Math.max(a.minX, b.minX) - Math.min(a.maxX, b.maxX) - 1;
    const ratio = heightOf(small) / heightOf(large);
    // Much shorter and near, or somewhat shorter and overlapping in x (an open 4's two strokes).
    if (within && ((ratio < 0.6 && gap <= 0.1 * heightOf(large)) || (ratio < 0.85 && gap < 0))) return true;
    // Two halves of one digit, side by side, each far shorter than the digits around them.
    return heightOf(large) < 0.65 * typical && gap <= 0.1 * typical && within;
  };
  let changed = true;
  while (changed) {
    changed = false;
    outer: for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) {
        if (belongTogether(sorted[i]!, sorted[j]!)) {
          sorted[i] = merge(sorted[i]!, sorted[j]!);
          sorted.splice(j, 1);
          changed = true;
          break outer;
        }
      }
  }
  return sorted;
}

/**
 * Splits a component much wider than a digit into `k` parts at the columns with the least ink,
 * searched within a window around each ideal cut.
 */
function splitTouching(c: Component, typicalHeight: number, map: InkMap, labels: Int32Array, threshold: number, aspectLimit: number): Component[] {
  const width = widthOf(c), height = heightOf(c);
  const reference = Math.max(height, typicalHeight);
  if (width < aspectLimit * reference) return [c];
  // A digit is about 0.6-0.9x as wide as tall; estimating wide keeps a 0 or a 4 from being cut in three.
  const parts = Math.max(2, Math.round(width / (0.9 * reference)));
  const member = new Set(c.labels);
  const column = new Float32Array(width);
  for (let y = c.minY; y <= c.maxY; y++)
    for (let x = c.minX; x <= c.maxX; x++) {
      const p = y * map.width + x;
      if (member.has(labels[p]!) && map.ink[p]! >= threshold) column[x - c.minX]! += 1;
    }
  const cuts: number[] = [];
  for (let k = 1; k < parts; k++) {
    const ideal = Math.round((k * width) / parts);
    const window = Math.max(1, Math.round(width / parts / 3));
    let best = ideal, bestInk = Infinity;
    for (let x = Math.max(1, ideal - window); x <= Math.min(width - 2, ideal + window); x++) {
      const ink = column[x]! + 0.001 * Math.abs(x - ideal);
      if (ink < bestInk) {
        bestInk = ink;
        best = x;
      }
    }
    cuts.push(best);
  }
  return assignPiecesByConnectivity(c, cuts.map((cut) => c.minX + cut), map, labels, member, threshold);
}

/**
 * Gives each stroke pixel of a touching group to one piece. A straight cut would hand each digit a
 * chunk of its neighbour's overhanging stroke; instead only a 2 px band at each cut is removed, the
 * rest falls apart into connected pieces, and each piece goes to the side holding its centre.
 */
function assignPiecesByConnectivity(c: Component, cuts: number[], map: InkMap, labels: Int32Array, member: Set<number>, threshold: number): Component[] {
  const sideOf = (x: number) => cuts.filter((cut) => x >= cut).length;
  const inBand = (x: number) => cuts.some((cut) => x === cut || x === cut - 1);
  const boxWidth = widthOf(c);
  const stroke = new Uint8Array(boxWidth * heightOf(c));
  for (let y = c.minY; y <= c.maxY; y++)
    for (let x = c.minX; x <= c.maxX; x++) {
      const p = y * map.width + x;
      if (member.has(labels[p]!) && map.ink[p]! >= threshold) stroke[(y - c.minY) * boxWidth + (x - c.minX)] = inBand(x) ? 2 : 1;
    }
  const pieces: Set<number>[] = Array.from({ length: cuts.length + 1 }, () => new Set<number>());
  const seen = new Uint8Array(stroke.length);
  const stack: number[] = [];
  for (let start = 0; start < stroke.length; start++) {
    if (stroke[start] === 0 || seen[start]) continue;
    if (stroke[start] === 2) {
      pieces[sideOf(c.minX + (start % boxWidth))]!.add((c.minY + Math.floor(start / boxWidth)) * map.width + c.minX + (start % boxWidth));
      continue;
    }
    const part: number[] = [];
    let sumX = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const q = stack.pop()!;
      const x = q % boxWidth, y = (q - x) / boxWidth;
      part.push(q);
      sumX += x;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= boxWidth || ny * boxWidth >= stroke.length) continue;
          const n = ny * boxWidth + nx;
          if (stroke[n] === 1 && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
    }
    const target = pieces[sideOf(c.minX + sumX / part.length)]!;
    for (const q of part) target.add((c.minY + Math.floor(q / boxWidth)) * map.width + c.minX + (q % boxWidth));
  }
  return pieces.filter((pixels) => pixels.size > 0).map((pixels) => {
    let minX = Infinity, maxX = -1, minY = Infinity, maxY = -1;
    for (const p of pixels) {
      const x = p % map.width, y = (p - x) / map.width;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    return { labels: c.labels, minX, maxX, minY, maxY, area: pixels.size, pixels };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Finds the digits in an ink map, left to right, each with its box and the pixels it owns. */
export function segmentDigits(map: InkMap, options: SegmentOptions = {}): Segment[] {
  const threshold = options.inkThreshold ?? 0.3;
  const maxDigits = options.maxDigits ?? MAX_DIGITS;
  const { width, height, ink } = map;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = ink[i]! >= threshold ? 1 : 0;
  const { labels, components } = connectedComponents(mask, width, height);
  if (components.length === 0) return [];

  // Specks: tiny next to the largest mark and short next to the tallest.
  const largest = Math.max(...components.map((c) => c.area));
  const tallest = Math.max(...components.map(heightOf));
  const minSide = Math.max(2, Math.round(Math.min(width, height) * 0.02));
  let marks = components.filter((c) => {
    const tooSmall = c.area < 0.05 * largest && Math.max(widthOf(c), heightOf(c)) < 0.3 * tallest;
    return !tooSmall && Math.max(widthOf(c), heightOf(c)) >= minSide;
  });
  if (marks.length === 0) return [];

  let groups: Component[];
  if (options.single) {
    groups = [marks.reduce(merge)];
  } else {
    marks = mergeBrokenStrokes(marks);
    const typicalHeight = median(marks.map(heightOf));
    // A lone mark is most likely one (perhaps wide) digit: it must be much wider to be split.
    const splitAspect = options.splitAspect ?? DEFAULT_SPLIT_ASPECT;
    const aspectLimit = marks.length === 1 ? Math.max(splitAspect, LONE_MARK_SPLIT_ASPECT) : splitAspect;
    groups = marks.flatMap((c) => splitTouching(c, typicalHeight, map, labels, threshold, aspectLimit));
    // Short marks far below the others' height (dashes, commas, dots) are not digits.
    const tallestGroup = Math.max(...groups.map(heightOf));
    groups = groups.filter((g) => heightOf(g) >= 0.25 * tallestGroup || widthOf(g) >= 0.5 * tallestGroup);
  }
  if (groups.length > maxDigits) throw new TooManyDigitsError(groups.length, maxDigits);
  groups.sort((a, b) => a.minX + a.maxX - (b.minX + b.maxX));

  return groups.map((g) => {
    const member = new Set(g.labels);
    const box: Box = { x: g.minX, y: g.minY, width: widthOf(g), height: heightOf(g) };
    // Only this digit's own strokes (and their faint anti-aliased rims) enter its crop.
    const own = g.pixels;
    const owns = own
      ? (x: number, y: number) => own.has(y * width + x) || (labels[y * width + x] === -1 && touches(width, height, x, y, (i) => own.has(i)))
      : (x: number, y: number) => {
          const label = labels[y * width + x]!;
          return label === -1 ? touches(width, height, x, y, (i) => member.has(labels[i]!)) : member.has(label);
        };
    return { box, owns };
  });
}

/** Faint rim pixels (below the threshold) belong to a digit when one of its stroke pixels touches them. */
function touches(width: number, height: number, x: number, y: number, isOwn: (index: number) => boolean): boolean {
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx, ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < width && ny < height && isOwn(ny * width + nx)) return true;
    }
  return false;
}
