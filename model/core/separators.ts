/**
 * Separators are told from digits by their size and place in the line of writing, not by the
 * classifier (blown up to a digit's field, a comma is a short 1): a dot sits low and is small, a
 * comma reaches down from the baseline, a dash is flat at mid-height, a colon is two dots stacked, a
 * slash is a thin stroke leaning far more than the writing does. A mark that shares its columns with
 * a digit is part of that digit (a 5's detached bar), never a separator.
 */
import { markShape, type Marks, type Shape } from './marks.js';

export type SeparatorChar = '.' | ',' | '-' | '/' | ':';

/** The line of writing: how tall its digits are, where their tops and bottoms are. */
export interface LineMetrics {
  height: number;
  top: number;
  baseline: number;
  /** Median lean of the digits' strokes, in degrees (the writer's slant). */
  slant: number;
}

/** What the rules look at: a mark's (or a stroke's) box, and its shape when it is needed. */
export interface Outline {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  shape(): Shape;
}

/** Which outlines are separators (by index), and which are too small to be anything (specks). */
export interface SeparatorVerdicts {
  separators: Map<number, SeparatorChar>;
  /** The lower dot of each colon, by the colon's upper dot. */
  partners: Map<number, number>;
  /** Outlines that are neither a digit nor a separator: left out. */
  noise: Set<number>;
}

const widthOfBox = (o: Outline) => o.maxX - o.minX + 1;
const heightOfBox = (o: Outline) => o.maxY - o.minY + 1;

function overlapsTall(items: readonly Outline[], m: number, tall: readonly number[]): boolean {
  const w = widthOfBox(items[m]!);
  return tall.some((t) => t !== m && Math.min(items[m]!.maxX, items[t]!.maxX) - Math.max(items[m]!.minX, items[t]!.minX) + 1 > 0.4 * w);
}

/** The marks of an ink map as outlines for the rules. */
export function markOutlines(marks: Marks, width: number): Outline[] {
  return Array.from({ length: marks.count }, (_, m) => ({
    minX: marks.minX[m]!,
    maxX: marks.maxX[m]!,
    minY: marks.minY[m]!,
    maxY: marks.maxY[m]!,
    shape: () => markShape(marks, m, width),
  }));
}

export function classifySeparators(
  items: readonly Outline[],
  candidates: readonly number[],
  tall: readonly number[],
  line: LineMetrics,
): SeparatorVerdicts {
  const separators = new Map<number, SeparatorChar>();
  const partners = new Map<number, number>();
  const noise = new Set<number>();
  const H = line.height;
  const dots: number[] = [];
  const maybeUpper: number[] = [];
  for (const m of candidates) {
    const o = items[m]!;
    const w = widthOfBox(o),
      h = heightOfBox(o);
    const cy = (o.minY + o.maxY) / 2;
    const relative = (cy - line.top) / Math.max(1, H); // 0 at the digits' tops, 1 at the baseline
    // A slash leans over its neighbours' columns: told by its lean before the overlap rule.
    const shape = h >= 0.6 * H && w <= 1.2 * H ? o.shape() : undefined;
    // And it reaches past the digits' tops or below their baseline: a 1 leaning hard stays within the
    // line (MNIST 4-digit numbers 93 -> 95%, validation writers' dates and amounts 86 -> 87% in text).
    const reaches = o.minY <= line.top - 0.03 * H || o.maxY >= line.baseline + 0.03 * H;
    if (shape && shape.elongation >= 4 && shape.lean >= Math.max(28, line.slant + 14) && reaches) {
      separators.set(m, '/');
      continue;
    }
    const small = h <= 0.36 * H && w <= 0.4 * H;
    // Marks that share a digit's columns are part of it (a 5's detached bar), but for dots and commas
    // hanging low, tucked under the digit before them.
    const low = h <= 0.55 * H && w <= 0.4 * H && relative >= 0.75;
    const overlapping = overlapsTall(items, m, tall);
    // A colon's upper dot may stand in a slanted neighbour's columns: it is one if a dot pairs with it.
    if (!low && overlapping && small && w <= 2.6 * h && h <= 2.6 * w && relative < 0.75) {
      maybeUpper.push(m);
      continue;
    }
    if (!low && overlapping) continue;
    // A dash is flat, at mid-height, and beside the digits: a flat mark under one is its tail or base.
    if (!overlapping && w >= 1.6 * h && h <= 0.3 * H && w >= 0.15 * H && w <= 1.6 * H && relative >= 0.15 && relative <= 0.95) {
      separators.set(m, '-');
      continue;
    }
    // A comma reaches below the baseline; a dot sits on it.
    if (h <= 0.55 * H && w <= 0.4 * H && h >= 1.3 * w && o.minY >= line.top + 0.45 * H && o.maxY >= line.baseline + 0.08 * H) {
      separators.set(m, ',');
      continue;
    }
    if (small && w <= 2.6 * h && h <= 2.6 * w) {
      dots.push(m);
      continue;
    }
    if (h < 0.3 * H && w < 0.3 * H) noise.add(m);
  }
  // Two dots in the same columns, one above the other: a colon.
  const used = new Set<number>();
  for (const a of [...dots, ...maybeUpper])
    for (const b of dots) {
      const A = items[a]!,
        B = items[b]!;
      if (a === b || used.has(a) || used.has(b) || A.minY >= B.minY) continue;
      // One above the other, upright or along the writing's slant (people slant their colons less than their digits).
      const rise = (B.minY + B.maxY) / 2 - (A.minY + A.maxY) / 2;
      const across = (A.minX + A.maxX) / 2 - (B.minX + B.maxX) / 2;
      const slanted = rise * Math.tan((line.slant * Math.PI) / 180);
      const drift = Math.min(Math.abs(across), Math.abs(across - slanted));
      const gap = B.minY - A.maxY - 1;
      if (drift <= 0.6 * Math.max(widthOfBox(A), widthOfBox(B)) + 0.15 * rise && gap >= 0.1 * H && gap <= 0.7 * H) {
        separators.set(a, ':');
        partners.set(a, b);
        used.add(a).add(b);
      }
    }
  for (const m of dots) {
    if (used.has(m)) continue;
    const cy = (items[m]!.minY + items[m]!.maxY) / 2;
    // A dot on or near the line is a full stop or decimal point; one high up is a stray mark.
    if (cy >= line.top + 0.55 * H) separators.set(m, '.');
    else noise.add(m);
  }
  return { separators, partners, noise };
}
