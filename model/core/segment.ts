/**
 * Segmentation, the pipeline's second stage: an ink map into the pieces of a number and the ways
 * they can be read. It does not decide where one digit ends: it over-segments (every mark, every
 * plausible cut through touching digits) and proposes candidate digits made of one to
 * MAX_PIECES_PER_DIGIT adjacent pieces. The classifier scores every candidate and the reader picks
 * the best sequence (decode.ts). Printed lines and boxes are removed first (lines.ts); separators
 * are recognised by their geometry (separators.ts).
 * Bounded by construction: labelling and measuring are linear in the pixels; the mark, piece and
 * candidate counts are checked against their limits before the step that depends on them.
 */
import { MAX_CANDIDATES, MAX_DIGITS, MAX_MARKS, MAX_PIECES_PER_DIGIT } from './constants.js';
import { cutMark, type Piece } from './cuts.js';
import { TooManyDigitsError, TooManyMarksError } from './errors.js';
import type { InkMap } from './ink-map.js';
import { removeLines } from './lines.js';
import { findMarks, heightOf, markShape, median, strokeMask, strokeWidth, widthOf, type Marks } from './marks.js';
import { classifySeparators, markOutlines, type LineMetrics, type SeparatorChar } from './separators.js';
import type { Box } from './types.js';

export interface SegmentOptions {
  /** At most this many digits; more raises TooManyDigitsError. */
  maxDigits?: number;
  /** Treat the whole image as one digit (no splitting), e.g. a single-digit drawing pad. */
  single?: boolean;
  /** Look for printed lines and boxes (photos and scans; a drawing on the pad has none). Default true. */
  lines?: boolean;
}

export interface SeparatorMark {
  char: SeparatorChar;
  /** Box in ink-map pixels. */
  box: Box;
}

export interface Segmentation {
  /** Pieces of ink, left to right by their centres. */
  pieces: Piece[];
  /** Candidate digits: runs of consecutive pieces, [from, to). */
  spans: [number, number][];
  separators: SeparatorMark[];
  /** When the image shows a row of boxes: each box and the pieces inside it ([from, to), empty when equal). */
  cells?: { box: Box; pieces: [number, number] }[];
  /** The height of the line of writing, in ink-map pixels. */
  lineHeight: number;
  /** The marks' labels, to tell which pixels a candidate owns. */
  marks: Marks;
}

/** Marks counted before lines are removed may be this many times the limit (dashed rules are many marks). */
const EARLY_MARGIN = 12;

const boxOf = (minX: number, minY: number, maxX: number, maxY: number): Box => ({
  x: minX,
  y: minY,
  width: maxX - minX + 1,
  height: maxY - minY + 1,
});

/** The height of the writing and where its tops and bottoms are, from its taller marks. */
function measureLine(marks: Marks, kept: readonly number[], slants: readonly number[]): { line: LineMetrics; tall: number[] } {
  const tallest = Math.max(...kept.map((m) => heightOf(marks, m)));
  const tall = kept.filter((m) => heightOf(marks, m) >= 0.45 * tallest);
  return {
    tall,
    line: {
      height: median(tall.map((m) => heightOf(marks, m))),
      top: median(tall.map((m) => marks.minY[m]!)),
      baseline: median(tall.map((m) => marks.maxY[m]!)),
      slant: slants.length ? median(slants) : 0,
    },
  };
}

/** A thin, short, upright or flat sliver: a piece of a printed rule. */
function isRuleFragment(marks: Marks, m: number, stroke: number, tallest: number): boolean {
  const w = widthOf(marks, m),
    h = heightOf(marks, m);
  const thin = Math.min(w, h),
    long = Math.max(w, h);
  return thin <= Math.max(2, 0.8 * stroke) && long >= 3 * thin && long < 0.6 * tallest;
}

export function segment(map: InkMap, options: SegmentOptions = {}): Segmentation | undefined {
  const { width, height } = map;
  const mask = strokeMask(map);
  // Printed lines first (linear in the pixels, and a faint grid falls apart into hundreds of marks);
  // then thousands of marks (a texture, a page of text) are refused before anything else is done.
  const lines =
    options.lines === false || options.single ? { lines: [] } : removeLines(mask, map.ink, width, height, strokeWidth(mask, width, height));
  const marks = findMarks(mask, width, height);
  if (marks.count > MAX_MARKS * EARLY_MARGIN) throw new TooManyMarksError(marks.count, MAX_MARKS);
  // Measured without the lines, which would pass for strokes.
  const stroke = strokeWidth(mask, width, height);
  // Specks: smaller than a pen's dot, or than 1% of the image.
  const minSide = Math.max(2, Math.round(Math.min(width, height) * 0.01));
  let kept = Array.from({ length: marks.count }, (_, m) => m).filter(
    (m) => Math.max(widthOf(marks, m), heightOf(marks, m)) >= Math.max(minSide, 0.7 * stroke) && marks.area[m]! >= 0.35 * stroke * stroke,
  );
  // On squared paper, what is left of a faint rule (dashes where the print broke up in the photo) is
  // thin, straight along the rules and short beside the digits: paper, not a stroke or a separator.
  if (lines.lines.some((l) => l.direction === 'h') && lines.lines.some((l) => l.direction === 'v') && !lines.cells) {
    const tallest = Math.max(...kept.map((m) => heightOf(marks, m)));
    kept = kept.filter((m) => !isRuleFragment(marks, m, stroke, tallest));
  }
  if (kept.length === 0) return undefined;
  if (kept.length > MAX_MARKS) throw new TooManyMarksError(kept.length, MAX_MARKS);
  const maxDigits = options.maxDigits ?? MAX_DIGITS;

  if (options.single) {
    const pieces = kept.map((m): Piece => ({
      mark: m,
      top: marks.minY[m]!,
      minX: marks.minX[m]!,
      maxX: marks.maxX[m]!,
      minY: marks.minY[m]!,
      maxY: marks.maxY[m]!,
      area: marks.area[m]!,
    }));
    // Tiny marks beside the digit (a speck of dust) are not part of it.
    const largest = Math.max(...pieces.map((p) => p.area));
    const tallest = Math.max(...pieces.map((p) => p.maxY - p.minY + 1));
    const own = pieces.filter((p) => p.area >= 0.05 * largest || Math.max(p.maxX - p.minX, p.maxY - p.minY) + 1 >= 0.3 * tallest);
    return { pieces: own, spans: [[0, own.length]], separators: [], lineHeight: tallest, marks };
  }

  const { line, tall } = measureLine(marks, kept, []);
  // The writer's slant, from the straight strokes among the digits (at most a dozen looked at).
  // (The very straight ones aside: a slash must not set the slant it is measured against.)
  const shapes = tall.slice(0, 12).map((m) => markShape(marks, m, width));
  const curved = shapes.filter((s) => s.elongation >= 1.5 && s.elongation < 8).map((s) => s.lean);
  const slants = curved.length ? curved : shapes.map((s) => s.lean);
  line.slant = slants.length ? median(slants) : 0;
  const H = Math.max(1, line.height);
  const verdicts = classifySeparators(markOutlines(marks, width), kept, tall, line);
  const separators: SeparatorMark[] = [];
  for (const [m, char] of verdicts.separators) {
    const partner = verdicts.partners.get(m);
    const minX = Math.min(marks.minX[m]!, partner === undefined ? Infinity : marks.minX[partner]!);
    const maxX = Math.max(marks.maxX[m]!, partner === undefined ? -Infinity : marks.maxX[partner]!);
    const maxY = Math.max(marks.maxY[m]!, partner === undefined ? -Infinity : marks.maxY[partner]!);
    separators.push({ char, box: boxOf(minX, marks.minY[m]!, maxX, maxY) });
  }
  const partnerDots = new Set(verdicts.partners.values());
  kept = kept.filter((m) => !verdicts.separators.has(m) && !verdicts.noise.has(m) && !partnerDots.has(m));
  if (kept.length === 0) return { pieces: [], spans: [], separators, lineHeight: H, marks };
  // More separate digit-sized marks than digits allowed: refused before any classification.
  const digitSized = kept.filter((m) => heightOf(marks, m) >= 0.6 * H).length;
  if (digitSized > maxDigits) throw new TooManyDigitsError(digitSized, maxDigits);

  let pieces = kept.flatMap((m) => cutMark(marks, m, width, H, stroke));
  pieces.sort((a, b) => a.minX + a.maxX - (b.minX + b.maxX));
  let cells: Segmentation['cells'];
  if (lines.cells) {
    const inside = (p: Piece, cell: Box) => {
      const cx = (p.minX + p.maxX) / 2,
        cy = (p.minY + p.maxY) / 2;
      return cx >= cell.x && cx < cell.x + cell.width && cy >= cell.y - 0.25 * cell.height && cy < cell.y + 1.25 * cell.height;
    };
    const inCells = pieces.filter((p) => lines.cells!.some((cell) => inside(p, cell)));
    pieces = inCells;
    let at = 0;
    cells = lines.cells.map((box) => {
      const from = at;
      while (at < pieces.length && inside(pieces[at]!, box)) at++;
      return { box, pieces: [from, at] as [number, number] };
    });
  }
  if (pieces.length > MAX_PIECES_PER_DIGIT * MAX_DIGITS) throw new TooManyMarksError(pieces.length, MAX_PIECES_PER_DIGIT * MAX_DIGITS);

  const spans: [number, number][] = [];
  if (cells) {
    for (const cell of cells) if (cell.pieces[1] > cell.pieces[0]) spans.push(cell.pieces);
  } else {
    for (let from = 0; from < pieces.length; from++) {
      let minX = pieces[from]!.minX,
        maxX = pieces[from]!.maxX,
        minY = pieces[from]!.minY,
        maxY = pieces[from]!.maxY;
      spans.push([from, from + 1]);
      for (let to = from + 1; to < Math.min(pieces.length, from + MAX_PIECES_PER_DIGIT); to++) {
        const next = pieces[to]!;
        // Pieces of one digit are close (touching, overlapping, or a pen lift apart).
        if (next.minX - maxX - 1 > 0.45 * H) break;
        minX = Math.min(minX, next.minX);
        maxX = Math.max(maxX, next.maxX);
        minY = Math.min(minY, next.minY);
        maxY = Math.max(maxY, next.maxY);
        if (maxX - minX + 1 > 1.6 * Math.max(H, maxY - minY + 1) * 0.9) break;
        spans.push([from, to + 1]);
      }
    }
  }
  if (spans.length > MAX_CANDIDATES) throw new TooManyMarksError(pieces.length, Math.floor(MAX_CANDIDATES / MAX_PIECES_PER_DIGIT));
  return { pieces, spans, separators, ...(cells ? { cells } : {}), lineHeight: H, marks };
}

/**
 * Which pixels of the ink map a candidate made of `pieces` owns, as a mask over its box: the pieces'
 * stroke pixels and the faint anti-aliased rims (below the stroke threshold) that touch them.
 */
export function ownership(
  segmentation: Segmentation,
  from: number,
  to: number,
  width: number,
  height: number,
): { box: Box; owns: (x: number, y: number) => boolean } {
  const { pieces, marks } = segmentation;
  let minX = Infinity,
    minY = Infinity,
    maxX = -1,
    maxY = -1;
  for (let i = from; i < to; i++) {
    const p = pieces[i]!;
    minX = Math.min(minX, p.minX);
    minY = Math.min(minY, p.minY);
    maxX = Math.max(maxX, p.maxX);
    maxY = Math.max(maxY, p.maxY);
  }
  const box = boxOf(minX, minY, maxX, maxY);
  const own = new Uint8Array(box.width * box.height);
  for (let i = from; i < to; i++) {
    const p = pieces[i]!;
    for (let y = p.minY; y <= p.maxY; y++)
      for (let x = p.minX; x <= p.maxX; x++) {
        if (marks.labels[y * width + x] !== p.mark) continue;
        if (p.left === undefined && p.right === undefined) own[(y - minY) * box.width + (x - minX)] = 1;
        else if ((p.left === undefined || x > p.left[y - p.top]!) && (p.right === undefined || x <= p.right[y - p.top]!))
          own[(y - minY) * box.width + (x - minX)] = 1;
      }
  }
  const ownsStroke = (x: number, y: number) =>
    x >= minX && x <= maxX && y >= minY && y <= maxY && own[(y - minY) * box.width + (x - minX)] === 1;
  const owns = (x: number, y: number) => {
    if (ownsStroke(x, y)) return true;
    if (marks.labels[y * width + x] !== -1) return false;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx,
          ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < width && ny < height && ownsStroke(nx, ny)) return true;
      }
    return false;
  };
  return { box, owns };
}

/** The box (ink-map pixels) of the ink that matters: marks bigger than specks, printed lines removed. */
export function inkRegion(map: InkMap, options: SegmentOptions = {}): Box | undefined {
  const { width, height } = map;
  const mask = strokeMask(map);
  const stroke = strokeWidth(mask, width, height);
  if (options.lines !== false) removeLines(mask, new Float32Array(map.ink), width, height, stroke);
  const marks = findMarks(mask, width, height);
  if (marks.count === 0) return undefined;
  const largest = Math.max(...marks.area);
  let minX = Infinity,
    minY = Infinity,
    maxX = -1,
    maxY = -1;
  for (let m = 0; m < marks.count; m++) {
    if (marks.area[m]! < 0.03 * largest) continue;
    minX = Math.min(minX, marks.minX[m]!);
    minY = Math.min(minY, marks.minY[m]!);
    maxX = Math.max(maxX, marks.maxX[m]!);
    maxY = Math.max(maxY, marks.maxY[m]!);
  }
  return maxX >= 0 ? boxOf(minX, minY, maxX, maxY) : undefined;
}
