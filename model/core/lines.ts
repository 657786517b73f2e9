/**
 * Printed lines are paper, not ink: the rules of lined paper, the grid of squared (maths) paper,
 * underlines, and the boxes of a form (a comb field, one digit per box). They are found as long,
 * thin, straight runs of ink (a projection of the stroke mask along a few slopes, so a line tilted by
 * a few degrees in a photo is one peak), removed from the ink map, and the strokes that cross them
 * are restored: where ink continues on both sides of a line, the line's pixels stay.
 * Where two long lines are joined by regularly spaced walls, the walls are the boxes of a form: their
 * insides are returned as cells, each read as exactly one digit.
 * Work: one projection per slope (SLOPES x pixels) and one pass per line found.
 */
import type { Box } from './types.js';

/** Tilts tried, as rows per column: -3 to +3 degrees in steps that keep a line within a row over 250 px. */
const SLOPES = Array.from({ length: 25 }, (_, i) => (i - 12) * 0.004);
/** A rule spans at least this share of the image (ruled and squared paper cross the whole photo). */
const MIN_LINE_SHARE = 0.5;
/** The rules above and below a row of boxes may be shorter: they count when they hold walls. */
const MIN_COMB_SHARE = 0.25;
/** Ink level from which printed lines are looked for (they are often fainter than the pen). */
const FAINT_INK = 0.12;
/** At most this many lines per direction are traced. */
const MAX_LINES = 48;
/** A comb field has at most this many boxes (the longest number read). */
const MAX_BOXES = 32;
/** Above this share of inked pixels the image is a texture, not paper: no lines are looked for. */
const MAX_INKED_SHARE = 0.3;
/** Lines are found only in images larger than this: a 16x16 or 28x28 crop is one digit, no paper. */
const MIN_SIDE_FOR_LINES = 64;

export interface Line {
  /** 'h': y = at + slope * x; 'v': x = at + slope * y. */
  direction: 'h' | 'v';
  at: number;
  slope: number;
  /** Extent along the line (x for 'h', y for 'v'). */
  from: number;
  to: number;
  /** Half its thickness in pixels. */
  halfThickness: number;
}

export interface LineRemoval {
  lines: Line[];
  /** The insides of a form's boxes, left to right, when the image shows a row of boxes. */
  cells?: Box[];
}

interface View {
  width: number;
  height: number;
  at(u: number, v: number): number; // mask value with u along the line direction
  clear(u: number, v: number): void;
}

function views(mask: Uint8Array, ink: Float32Array, width: number, height: number, strokes: Uint8Array): Record<'h' | 'v', View> {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height;
  const clear = (i: number) => {
    mask[i] = 0;
    strokes[i] = 0;
    ink[i] = 0;
  };
  return {
    h: {
      width,
      height,
      at: (u, v) => (inside(u, v) ? mask[v * width + u]! : 0),
      clear: (u, v) => {
        if (inside(u, v)) clear(v * width + u);
      },
    },
    v: {
      width: height,
      height: width,
      at: (u, v) => (inside(v, u) ? mask[u * width + v]! : 0),
      clear: (u, v) => {
        if (inside(v, u)) clear(u * width + v);
      },
    },
  };
}

/** Long straight runs in one direction: peaks of the projections along each slope. */
function findLines(view: View, direction: 'h' | 'v', mask: Uint8Array, width: number, stroke: number): Line[] {
  const { width: length, height: across } = view;
  const minLength = MIN_COMB_SHARE * length;
  const best = new Int32Array(across);
  const bestSlope = new Float32Array(across);
  const counts = new Int32Array(across);
  const shift = new Int32Array(length);
  // The ink pixels once (u along the line, v across it); each slope is then one pass over them.
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const us = new Int32Array(n),
    vs = new Int32Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const x = i % width,
      y = (i - x) / width;
    us[k] = direction === 'h' ? x : y;
    vs[k++] = direction === 'h' ? y : x;
  }
  for (const slope of SLOPES) {
    counts.fill(0);
    for (let u = 0; u < length; u++) shift[u] = Math.round(slope * u);
    for (let k = 0; k < n; k++) {
      const at = vs[k]! - shift[us[k]!]!;
      if (at >= 0 && at < across) counts[at]!++;
    }
    for (let at = 0; at < across; at++) {
      if (counts[at]! > best[at]!) {
        best[at] = counts[at]!;
        bestSlope[at] = slope;
      }
    }
  }
  const peaks: number[] = [];
  for (let at = 0; at < across; at++) {
    if (best[at]! < minLength) continue;
    // A thick line is a plateau of several rows: keep its strongest row.
    if ((at > 0 && best[at - 1]! > best[at]!) || (at + 1 < across && best[at + 1]! >= best[at]!)) continue;
    peaks.push(at);
  }
  // The strongest few: a page has tens of rules at most; more peaks are texture, not lines.
  peaks.sort((a, b) => best[b]! - best[a]!);
  const lines: Line[] = [];
  for (const at of peaks.slice(0, MAX_LINES)) {
    const line = traceLine(view, direction, at, bestSlope[at]!, stroke);
    if (line && line.to - line.from + 1 >= minLength) lines.push(line);
  }
  return lines.sort((a, b) => a.at - b.at);
}

/** The longest stretch of ink along a line (gaps of a few pixels bridged) and its thickness. */
function traceLine(view: View, direction: 'h' | 'v', at: number, slope: number, stroke: number): Line | undefined {
  const { width: length } = view;
  let runStart = -1,
    bestFrom = 0,
    bestTo = -1,
    gap = 0;
  const thickness: number[] = [];
  const allowedGap = Math.max(3, Math.round(stroke));
  for (let u = 0; u <= length; u++) {
    const v = Math.round(at + slope * u);
    const on = u < length && (view.at(u, v) || view.at(u, v - 1) || view.at(u, v + 1));
    if (on) {
      if (runStart < 0) runStart = u;
      gap = 0;
      if (u - runStart > bestTo - bestFrom) {
        bestFrom = runStart;
        bestTo = u;
      }
    } else if (runStart >= 0 && ++gap > allowedGap) {
      runStart = -1;
    }
  }
  if (bestTo < bestFrom) return undefined;
  for (let u = bestFrom; u <= bestTo; u += 3) {
    const v = Math.round(at + slope * u);
    let up = 0,
      down = 0;
    while (up < 12 && view.at(u, v - up - 1)) up++;
    while (down < 12 && view.at(u, v + down + 1)) down++;
    if (view.at(u, v)) thickness.push(up + down + 1);
  }
  thickness.sort((a, b) => a - b);
  const typical = thickness[Math.floor(thickness.length / 2)] ?? 1;
  // A printed line is thin along most of its length (where digits cross it, it is not).
  if (typical > Math.max(4, 2.2 * stroke)) return undefined;
  return { direction, at, slope, from: bestFrom, to: bestTo, halfThickness: typical / 2 + 0.5 };
}

/** Erases a line, but where ink continues on both sides (a stroke crossing it) keeps it. */
function eraseLine(view: View, line: Line): void {
  const reach = Math.ceil(line.halfThickness);
  for (let u = line.from; u <= line.to; u++) {
    const centre = line.at + line.slope * u;
    const v0 = Math.floor(centre - line.halfThickness),
      v1 = Math.ceil(centre + line.halfThickness);
    const beyond = (v: number) => view.at(u - 1, v) || view.at(u, v) || view.at(u + 1, v);
    const crossing = (beyond(v0 - 1) || beyond(v0 - 2)) && (beyond(v1 + 1) || beyond(v1 + 2));
    if (crossing) continue;
    for (let v = v0; v <= v1; v++) view.clear(u, v);
    void reach;
  }
}

/**
 * Walls of a form's boxes between two horizontal lines: columns where a thin vertical run joins
 * them. Returns the walls' x positions, left to right, when they look like a row of boxes.
 */
function findWalls(view: View, top: Line, bottom: Line): number[] {
  const columns: number[] = [];
  // Across the whole image: the rules may have been traced short, so a wall counts wherever both rules
  // are inked beside it.
  const onRule = (line: Line, x: number) => {
    const y = Math.round(line.at + line.slope * x);
    return !!(view.at(x, y) || view.at(x, y - 1) || view.at(x, y + 1));
  };
  for (let x = 0; x < view.width; x++) {
    const y0 = Math.round(top.at + top.slope * x + top.halfThickness),
      y1 = Math.round(bottom.at + bottom.slope * x - bottom.halfThickness);
    const span = y1 - y0;
    if (span < 8) return [];
    if (!onRule(top, x) || !onRule(bottom, x)) continue;
    let covered = 0;
    for (let y = y0; y <= y1; y++) if (view.at(x, y) || view.at(x - 1, y) || view.at(x + 1, y)) covered++;
    if (covered >= 0.92 * (span + 1)) columns.push(x);
  }
  if (columns.length < 2) return [];
  // A comb's boxes are equal: its walls stand at equal steps from its first wall to its last. A
  // digit's upright stroke may cover a column too (an extra wall), and a stroke across a wall may
  // thicken it: so the walls are the regular steps where covered columns are, the most boxes that fit.
  const covered = new Set(columns);
  const near = (x: number, reach: number) => {
    for (let d = 0; d <= reach; d++) if (covered.has(Math.round(x) + d) || covered.has(Math.round(x) - d)) return true;
    return false;
  };
  const first = columns[0]!,
    last = columns[columns.length - 1]!;
  const rowHeight = Math.round(bottom.at - top.at);
  for (let boxes = Math.min(MAX_BOXES, Math.floor((last - first) / (0.4 * rowHeight))); boxes >= 2; boxes--) {
    const step = (last - first) / boxes;
    if (step > 2.5 * rowHeight) break;
    const reach = Math.max(2, Math.round(step / 8));
    const walls = Array.from({ length: boxes + 1 }, (_, k) => first + k * step);
    // Each wall is there, and the middle of each box is not a wall (else the boxes are smaller).
    if (walls.every((x) => near(x, reach)) && walls.slice(1).some((x, k) => !near((x + walls[k]!) / 2, 1))) return walls;
  }
  return [];
}

/** A rule spans at least this many times the height of the writing beside it, when it is the only one. */
const MIN_UNDERLINE_RATIO = 1.5;

/** How many rows the lines stand in: lines nearer each other than their thickness and a stroke are one row. */
function separateRows(lines: readonly Line[], stroke: number): number {
  const sorted = [...lines].sort((a, b) => a.at - b.at);
  let rows = 0,
    last = -Infinity;
  for (const line of sorted) {
    if (line.at - last > 2 * line.halfThickness + stroke + 2) rows++;
    last = line.at;
  }
  return rows;
}

/**
 * Whether a line spans nearly all of the image along its direction, or reaches past the other ink
 * (off its own band) by a stroke's width on one side at least.
 */
function runsPast(line: Line, view: View, stroke: number): boolean {
  if (line.to - line.from + 1 >= 0.9 * view.width) return true;
  let first = view.width,
    last = -1;
  const band = line.halfThickness + 2;
  for (let v = 0; v < view.height; v++)
    for (let u = 0; u < view.width; u++) {
      if (!view.at(u, v) || Math.abs(v - (line.at + line.slope * u)) <= band) continue;
      if (u < first) first = u;
      if (u > last) last = u;
    }
  return last < first || line.from <= first - stroke || line.to >= last + stroke;
}

/** Whether a lone horizontal line is longer than the ink beside it is tall (off the line's own band). */
function underlines(line: Line, faint: Uint8Array, width: number, height: number): boolean {
  let top = height,
    bottom = -1;
  const band = line.halfThickness + 2;
  for (let y = 0; y < height; y++)
    for (let x = line.from; x <= line.to; x++) {
      if (!faint[y * width + x]) continue;
      if (Math.abs(y - (line.at + line.slope * x)) <= band) continue;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  return bottom < top || line.to - line.from + 1 >= MIN_UNDERLINE_RATIO * (bottom - top + 1);
}

/**
 * Finds and removes printed lines and box walls from the stroke mask and the ink map (both edited in
 * place). `stroke` is the typical stroke width in pixels.
 */
export function removeLines(mask: Uint8Array, ink: Float32Array, width: number, height: number, stroke: number): LineRemoval {
  if (Math.min(width, height) < MIN_SIDE_FOR_LINES) return { lines: [] };
  // Paper with lines and handwriting is mostly paper; a field of texture has no lines to find.
  let inked = 0;
  for (let i = 0; i < ink.length; i++) if (ink[i]! >= FAINT_INK) inked++;
  if (inked > MAX_INKED_SHARE * ink.length) return { lines: [] };
  // Printed lines are often fainter than the pen: they are looked for in a lower cut of the ink, and
  // erased from it and from the stroke mask alike.
  const faint = new Uint8Array(mask.length);
  for (let i = 0; i < faint.length; i++) faint[i] = ink[i]! >= FAINT_INK ? 1 : 0;
  const view = views(faint, ink, width, height, mask);
  const candidates = findLines(view.h, 'h', faint, width, stroke);
  const verticalCandidates = findLines(view.v, 'v', faint, width, stroke);
  const long = (line: Line, length: number) => line.to - line.from + 1 >= MIN_LINE_SHARE * length;
  // Paper's lines run on past the writing (across the page, or beyond the number they underline); a
  // digit's own stroke ends with its ink: the thick base of a 6 filling a photo is no rule.
  // Many rules apart from each other are paper whatever their length; a few close together may be
  // one thick stroke seen at several tilts.
  const paper = (lines: Line[], view: View) => {
    const spread = separateRows(lines, stroke) >= 3;
    return lines.filter((l) => spread || runsPast(l, view, stroke));
  };
  let horizontal = paper(
    candidates.filter((l) => long(l, width)),
    view.h,
  );
  // One line alone is an underline only if it is long for the writing above it.
  if (horizontal.length === 1 && !underlines(horizontal[0]!, faint, width, height)) horizontal = [];
  const vertical = paper(
    verticalCandidates.filter((l) => long(l, height)),
    view.v,
  );
  // Long verticals with long horizontals are a grid (squared paper). One long vertical bar alone is
  // more likely a 1 than paper, so verticals count only in a grid.
  const isGrid = horizontal.length >= 2 && vertical.length >= 2;
  const lines = [...horizontal, ...(isGrid ? vertical : [])];
  let cells: Box[] | undefined;
  // A row of boxes: two horizontal lines joined by regular walls (not in a grid, where every pair is).
  const rows = [...candidates].sort((a, b) => a.at - b.at);
  for (let i = 0; i + 1 < rows.length && !cells && !isGrid; i++) {
    // Either rule may have been traced short (faint, or broken where a digit's stroke meets it): the
    // row is as long as the longer of the two, and its walls decide where the boxes are.
    const from = Math.min(rows[i]!.from, rows[i + 1]!.from),
      to = Math.max(rows[i]!.to, rows[i + 1]!.to);
    const top = { ...rows[i]!, from, to },
      bottom = { ...rows[i + 1]!, from, to };
    const walls = findWalls(view.h, top, bottom);
    if (walls.length === 0) continue;
    // The rules run from the first wall to the last.
    top.from = bottom.from = Math.min(from, Math.floor(walls[0]!));
    top.to = bottom.to = Math.max(to, Math.ceil(walls[walls.length - 1]!));
    for (const [k, line] of lines.entries()) if (line === rows[i] || line === rows[i + 1]) lines[k] = line === rows[i] ? top : bottom;
    const yTop = Math.ceil(top.at + top.halfThickness),
      yBottom = Math.floor(bottom.at - bottom.halfThickness);
    cells = walls.slice(1).map((x, k) => ({
      x: Math.ceil(walls[k]! + 2),
      y: yTop,
      width: Math.max(1, Math.floor(x - walls[k]! - 3)),
      height: Math.max(1, yBottom - yTop),
    }));
    for (const line of [top, bottom]) if (!lines.includes(line)) lines.push(line);
    for (const x of walls)
      lines.push({ direction: 'v', at: x, slope: 0, from: yTop - 2, to: yBottom + 2, halfThickness: Math.max(1.5, stroke * 0.6) });
  }
  for (const line of lines) eraseLine(view[line.direction], line);
  return cells ? { lines, cells } : { lines };
}
