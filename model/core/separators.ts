/**
 * Separators are told from digits by their size and place in the line of writing, not by the
 * classifier (blown up to a digit's field, a comma is a short 1): a dot sits low and is small, a
 * comma reaches down from the baseline, a dash is flat at mid-height, a colon is two dots stacked, a
 * slash is a thin stroke leaning far more than the writing does. A mark that shares its columns with
 * a digit is part of that digit (a 5's detached bar), never a separator.
 */
import { heightOf, markShape, widthOf, type Marks } from './marks.js';

export type SeparatorChar = '.' | ',' | '-' | '/' | ':';

/** The line of writing: how tall its digits are, where their tops and bottoms are. */
export interface LineMetrics {
  height: number;
  top: number;
  baseline: number;
  /** Median lean of the digits' strokes, in degrees (the writer's slant). */
  slant: number;
}

/** Which marks are separators (by index), and which are too small to be anything (specks). */
export interface SeparatorVerdicts {
  separators: Map<number, SeparatorChar>;
  /** The lower dot of each colon, by the colon's upper dot. */
  partners: Map<number, number>;
  /** Marks that are neither a digit nor a separator: left out. */
  noise: Set<number>;
}

function overlapsTall(marks: Marks, m: number, tall: readonly number[]): boolean {
  const w = widthOf(marks, m);
  return tall.some((t) => t !== m && Math.min(marks.maxX[m]!, marks.maxX[t]!) - Math.max(marks.minX[m]!, marks.minX[t]!) + 1 > 0.4 * w);
}

export function classifySeparators(marks: Marks, width: number, candidates: readonly number[], tall: readonly number[], line: LineMetrics): SeparatorVerdicts {
  const separators = new Map<number, SeparatorChar>();
  const partners = new Map<number, number>();
  const noise = new Set<number>();
  const H = line.height;
  const dots: number[] = [];
  for (const m of candidates) {
    const w = widthOf(marks, m), h = heightOf(marks, m);
    const cy = (marks.minY[m]! + marks.maxY[m]!) / 2;
    const relative = (cy - line.top) / Math.max(1, H); // 0 at the digits' tops, 1 at the baseline
    if (overlapsTall(marks, m, tall)) continue; // part of a digit
    const small = h <= 0.36 * H && w <= 0.4 * H;
    if (small && w <= 2.6 * h && h <= 2.6 * w) {
      dots.push(m);
      continue;
    }
    if (h <= 0.55 * H && w <= 0.4 * H && h >= 1.3 * w && marks.minY[m]! >= line.top + 0.45 * H && marks.maxY[m]! >= line.baseline - 0.15 * H) {
      separators.set(m, ',');
      continue;
    }
    if (w >= 1.6 * h && h <= 0.3 * H && w >= 0.15 * H && w <= 1.6 * H && relative >= 0.15 && relative <= 0.95) {
      separators.set(m, '-');
      continue;
    }
    const shape = h >= 0.6 * H && w <= 1.2 * H ? markShape(marks, m, width) : undefined;
    if (shape && shape.elongation >= 4 && shape.lean >= Math.max(26, line.slant + 14)) {
      separators.set(m, '/');
      continue;
    }
    if (h < 0.3 * H && w < 0.3 * H) noise.add(m);
  }
  // Two dots in the same columns, one above the other: a colon.
  const used = new Set<number>();
  for (const a of dots)
    for (const b of dots) {
      if (a === b || used.has(a) || used.has(b) || marks.minY[a]! >= marks.minY[b]!) continue;
      const overlap = Math.min(marks.maxX[a]!, marks.maxX[b]!) - Math.max(marks.minX[a]!, marks.minX[b]!) + 1;
      const gap = marks.minY[b]! - marks.maxY[a]! - 1;
      if (overlap >= 0.3 * Math.min(widthOf(marks, a), widthOf(marks, b)) && gap >= 0.1 * H && gap <= 0.7 * H) {
        separators.set(a, ':');
        partners.set(a, b);
        used.add(a).add(b);
      }
    }
  for (const m of dots) {
    if (used.has(m)) continue;
    const cy = (marks.minY[m]! + marks.maxY[m]!) / 2;
    // A dot on or near the line is a full stop or decimal point; one high up is a stray mark.
    if (cy >= line.top + 0.55 * H) separators.set(m, '.');
    else noise.add(m);
  }
  return { separators, partners, noise };
}
