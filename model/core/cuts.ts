/**
 * Cuts through touching digits. A mark much wider than a digit may be two or more digits written into
 * each other; instead of one straight cut at a guessed column, this proposes every plausible cut: a
 * path from top to bottom through the mark that crosses as little ink as possible (a seam, allowed to
 * lean up to 63 degrees, so it can pass between slanted digits), started at the deepest valleys of
 * the mark's column profile. The reader later decides, by what the classifier makes of the pieces,
 * which cuts are real; proposing a wrong one costs only a candidate.
 * Work per mark: at most 2 x MAX_CUTS_PER_MARK seams tried, each linear in the mark's area.
 */
import { MAX_CUTS_PER_MARK } from './constants.js';
import type { Marks } from './marks.js';

/** Marks narrower than this share of the line height are one digit at most: never cut. */
const NARROWEST_CUT_MARK = 0.7;
/** A seam may cross at most this many stroke widths of ink: more is a digit's body, not a joint. */
const SEAM_COST_STROKES = 3.5;

/** A seam: for each row of the mark's box, the last column of the left side. */
export type Seam = Int32Array;

/** A piece of a mark between two seams (or the mark's edge). */
export interface Piece {
  mark: number;
  /** Seam on the left (pixels at x <= left[y - top] are not this piece's), or undefined at the mark's edge. */
  left?: Seam;
  right?: Seam;
  /** The mark box's top row: seams are indexed from it. */
  top: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  area: number;
}

/** Columns a seam may move per row. */
const MAX_STEP = 2;

interface Scored {
  seam: Seam;
  cost: number;
  meanX: number;
}

/** The mark's own pixels over its box, as 0/1 (one lookup per pixel from then on). */
interface Grid {
  minX: number;
  top: number;
  w: number;
  h: number;
  cells: Uint8Array;
}

function gridOf(marks: Marks, index: number, width: number): Grid {
  const minX = marks.minX[index]!,
    top = marks.minY[index]!;
  const w = marks.maxX[index]! - minX + 1,
    h = marks.maxY[index]! - top + 1;
  const cells = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) {
    const row = (top + r) * width + minX;
    for (let c = 0; c < w; c++) cells[r * w + c] = marks.labels[row + c] === index ? 1 : 0;
  }
  return { minX, top, w, h, cells };
}

/** The cheapest seam starting near column `start` (grid columns), by dynamic programming over rows. */
function seamFrom(grid: Grid, start: number, reach: number): Scored {
  const { w, h, cells } = grid;
  const lo = Math.max(0, start - reach),
    hi = Math.min(w - 1, start + reach);
  const span = hi - lo + 1;
  const cost = new Float32Array(span * h);
  const from = new Int8Array(span * h);
  for (let c = 0; c < span; c++) cost[c] = cells[lo + c]! + 0.002 * Math.abs(lo + c - start);
  for (let r = 1; r < h; r++) {
    const above = (r - 1) * span,
      here = r * span,
      row = r * w + lo;
    for (let c = 0; c < span; c++) {
      let best = cost[above + c]!,
        move = 0;
      // Up to two columns a row: a seam can lean 63 degrees, as far as slanted writing does.
      for (let d = -MAX_STEP; d <= MAX_STEP; d++) {
        if (d === 0 || c + d < 0 || c + d >= span) continue;
        // Leaning costs a little, so a seam goes straight down through paper.
        const candidate = cost[above + c + d]! + 0.01 * Math.abs(d);
        if (candidate < best) {
          best = candidate;
          move = d;
        }
      }
      cost[here + c] = best + cells[row + c]! + 0.002 * Math.abs(lo + c - start);
      from[here + c] = move;
    }
  }
  let end = 0;
  for (let c = 1; c < span; c++) if (cost[(h - 1) * span + c]! < cost[(h - 1) * span + end]!) end = c;
  const seam = new Int32Array(h);
  let c = end,
    sum = 0,
    crossed = 0;
  for (let r = h - 1; r >= 0; r--) {
    seam[r] = grid.minX + lo + c;
    sum += lo + c;
    crossed += cells[r * w + lo + c]!;
    c += from[r * span + c]!;
  }
  return { seam, cost: crossed, meanX: grid.minX + sum / h };
}

/** The pieces of a mark between consecutive seams (empty ones left out), in one pass over its box. */
function piecesBetween(grid: Grid, index: number, seams: readonly Scored[]): Piece[] {
  const pieces: Piece[] = Array.from({ length: seams.length + 1 }, (_, k) => ({
    mark: index,
    top: grid.top,
    minX: Infinity,
    maxX: -1,
    minY: Infinity,
    maxY: -1,
    area: 0,
    ...(k > 0 ? { left: seams[k - 1]!.seam } : {}),
    ...(k < seams.length ? { right: seams[k]!.seam } : {}),
  }));
  for (let r = 0; r < grid.h; r++) {
    let k = 0;
    for (let c = 0; c < grid.w; c++) {
      if (!grid.cells[r * grid.w + c]) continue;
      const x = grid.minX + c;
      while (k < seams.length && x > seams[k]!.seam[r]!) k++;
      const p = pieces[k]!;
      p.area++;
      if (x < p.minX) p.minX = x;
      if (x > p.maxX) p.maxX = x;
      const y = grid.top + r;
      if (y < p.minY) p.minY = y;
      if (y > p.maxY) p.maxY = y;
    }
  }
  return pieces.filter((p) => p.area > 0);
}

/**
 * The pieces of mark `index`: the mark itself when it is no wider than a digit, else the parts
 * between the cheap seams through it, left to right.
 */
export function cutMark(marks: Marks, index: number, width: number, lineHeight: number, stroke: number): Piece[] {
  const minX = marks.minX[index]!,
    maxX = marks.maxX[index]!,
    top = marks.minY[index]!,
    bottom = marks.maxY[index]!;
  const whole: Piece = { mark: index, top, minX, maxX, minY: top, maxY: bottom, area: marks.area[index]! };
  const w = maxX - minX + 1,
    h = bottom - top + 1;
  const reference = Math.max(lineHeight, 0.75 * h);
  // Narrow marks are never cut; wider ones may be one wide digit or several: both are proposed.
  if (w < NARROWEST_CUT_MARK * reference || h < 2 * stroke) return [whole];
  const grid = gridOf(marks, index, width);
  // Column profile; valleys are where the strokes of two digits meet.
  const profile = new Float32Array(w);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) profile[c]! += grid.cells[r * w + c]!;
  const margin = Math.max(2, Math.round(0.18 * reference));
  const valleys: { x: number; depth: number }[] = [];
  for (let c = margin; c < w - margin; c++) {
    const v = profile[c]! + 0.5 * (profile[c - 1]! + profile[c + 1]!);
    const left = profile[c - 1]! + 0.5 * (profile[c - 2] ?? profile[c - 1]!) + 0.5 * profile[c]!;
    const right = profile[c + 1]! + 0.5 * profile[c]! + 0.5 * (profile[c + 2] ?? profile[c + 1]!);
    if (v <= left && v <= right) valleys.push({ x: c, depth: v });
  }
  // The deepest valleys only: a texture has one every few pixels, and each seam costs the mark's area.
  valleys.sort((a, b) => a.depth - b.depth);
  const starts = new Set(valleys.slice(0, MAX_CUTS_PER_MARK).map((v) => v.x));
  // And the columns where equal-width digits would meet, in case the valleys are shallow.
  const parts = Math.min(MAX_CUTS_PER_MARK + 1, Math.max(2, Math.round(w / (0.75 * reference))));
  for (let k = 1; k < parts; k++) starts.add(Math.round((k * w) / parts));
  const reach = Math.max(2, Math.round(0.3 * reference));
  const limit = SEAM_COST_STROKES * stroke + 2;
  const seams = [...starts]
    .map((start) => seamFrom(grid, start, reach))
    .filter((s) => s.cost <= limit && s.meanX - minX >= margin * 0.6 && maxX - s.meanX >= margin * 0.6)
    .sort((a, b) => a.cost - b.cost || a.meanX - b.meanX);
  // One seam per place: the cheapest of those closer than a fifth of a digit.
  const kept: Scored[] = [];
  for (const s of seams) {
    if (kept.length >= MAX_CUTS_PER_MARK) break;
    if (kept.every((k) => Math.abs(k.meanX - s.meanX) >= 0.2 * reference)) kept.push(s);
  }
  if (kept.length === 0) return [whole];
  kept.sort((a, b) => a.meanX - b.meanX);
  // Seams never cross: each stays right of the one before it.
  for (let k = 1; k < kept.length; k++) for (let r = 0; r < h; r++) kept[k]!.seam[r] = Math.max(kept[k]!.seam[r]!, kept[k - 1]!.seam[r]!);
  // A seam that leaves a sliver (less than a stroke's worth of ink on one side) is no cut: drop it.
  const smallest = Math.max(1.5 * stroke * stroke, 0.05 * whole.area);
  let pieces = piecesBetween(grid, index, kept);
  for (
    let sliver = pieces.findIndex((p) => p.area < smallest);
    sliver >= 0 && kept.length > 0;
    sliver = pieces.findIndex((p) => p.area < smallest)
  ) {
    const seam =
      sliver === 0 ? 0 : sliver >= kept.length ? kept.length - 1 : kept[sliver - 1]!.cost >= kept[sliver]!.cost ? sliver - 1 : sliver;
    kept.splice(seam, 1);
    pieces = piecesBetween(grid, index, kept);
  }
  return pieces.length > 1 ? pieces : [whole];
}
