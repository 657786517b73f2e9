/**
 * Reading a drawing from its strokes. A pad does not only give pixels: it gives every pen-down to
 * pen-up trajectory, in the order it was written, and people write a number digit after digit. So
 * the pieces of a drawing are its strokes in writing order, a candidate digit is a run of one to
 * MAX_STROKES_PER_DIGIT consecutive strokes, and each candidate is drawn alone for the classifier:
 * digits that lean into each other, overlap in x, touch or even cross (a 4's stem through the loop of
 * the 6 after it) come apart without a single cut. Separators are told by the same geometry as in
 * images (separators.ts), and the same reader chooses the best path (decode.ts).
 * Work: strokes x MAX_STROKES_PER_DIGIT candidates, each drawn at about three times the model's
 * field: bounded by MAX_MARKS strokes.
 */
import { DIGIT_BOX, MAX_CANDIDATES, MAX_DIGITS, MAX_MARKS } from './constants.js';
import { TooManyDigitsError, TooManyMarksError } from './errors.js';
import type { Lattice } from './interpret.js';
import type { Shape } from './marks.js';
import { median } from './marks.js';
import { normalizeDigit } from './normalize.js';
import { flattenStroke, paintStrokes, type PixelStroke } from './rasterize.js';
import type { PreparedDigits } from './recognize.js';
import { classifySeparators, type LineMetrics, type Outline } from './separators.js';
import type { Box } from './types.js';

/** A digit of a drawing is at most this many strokes (a 4, 5 or 7 with its bar, an E-like 3: up to three or four). */
export const MAX_STROKES_PER_DIGIT = 4;
/**
 * Consecutive strokes whose centres are closer than this share of the line height are taken for one
 * digit's. Chosen on the validation writers' pad numbers (e6 model: 0 94.0%, 0.2 95.3%, 0.3 92.3%,
 * 0.4 87.0% exact; single digits 99.4% at each).
 */
const SAME_DIGIT_DRIFT = 0.2;

export interface StrokeOptions {
  /** The drawing is one digit: all its strokes are one candidate. */
  single?: boolean;
  maxDigits?: number;
}

interface StrokeOutline extends Outline {
  index: number;
}

/** A stroke's box, its pen included, and the shape of its path (for the slash rule). */
function outlineOf(stroke: PixelStroke, index: number): StrokeOutline {
  const r = stroke.width / 2;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of stroke.points) {
    minX = Math.min(minX, x - r);
    maxX = Math.max(maxX, x + r);
    minY = Math.min(minY, y - r);
    maxY = Math.max(maxY, y + r);
  }
  return { index, minX, maxX, minY, maxY, shape: () => pathShape(stroke) };
}

/** Orientation and elongation of a stroke's path, from the second moments of its points along it. */
function pathShape(stroke: PixelStroke): Shape {
  const points = flattenStroke(stroke.points);
  const n = points.length;
  let mx = 0,
    my = 0;
  for (const [x, y] of points) {
    mx += x / n;
    my += y / n;
  }
  let vxx = 0,
    vyy = 0,
    vxy = 0;
  for (const [x, y] of points) {
    vxx += (x - mx) ** 2 / n;
    vyy += (y - my) ** 2 / n;
    vxy += ((x - mx) * (y - my)) / n;
  }
  // A pen's width makes even a dot a little round.
  const pen = (stroke.width * stroke.width) / 12;
  vxx += pen;
  vyy += pen;
  const spread = Math.sqrt(((vxx - vyy) / 2) ** 2 + vxy * vxy);
  const major = (vxx + vyy) / 2 + spread,
    minor = Math.max(1e-6, (vxx + vyy) / 2 - spread);
  let fromVertical = 90 - (0.5 * Math.atan2(2 * vxy, vxx - vyy) * 180) / Math.PI;
  if (fromVertical > 90) fromVertical -= 180;
  return { lean: -fromVertical, elongation: Math.sqrt(major / minor) };
}

/** Whether two strokes touch (their inked paths meet) anywhere. */
function touching(a: PixelStroke, b: PixelStroke): boolean {
  const reach = (a.width + b.width) / 2;
  const pa = flattenStroke(a.points),
    pb = flattenStroke(b.points);
  for (const [ax, ay] of pa) for (const [bx, by] of pb) if ((ax - bx) ** 2 + (ay - by) ** 2 <= reach * reach) return true;
  return false;
}

const union = (items: readonly StrokeOutline[]) => ({
  minX: Math.min(...items.map((o) => o.minX)),
  maxX: Math.max(...items.map((o) => o.maxX)),
  minY: Math.min(...items.map((o) => o.minY)),
  maxY: Math.max(...items.map((o) => o.maxY)),
});

const toBox = (b: { minX: number; maxX: number; minY: number; maxY: number }): Box => ({
  x: Math.max(0, Math.floor(b.minX)),
  y: Math.max(0, Math.floor(b.minY)),
  width: Math.max(1, Math.ceil(b.maxX - Math.max(0, Math.floor(b.minX)))),
  height: Math.max(1, Math.ceil(b.maxY - Math.max(0, Math.floor(b.minY)))),
});

/** One candidate: its strokes drawn alone, then made into the model's input as any digit is. */
function drawCandidate(strokes: readonly PixelStroke[], outlines: readonly StrokeOutline[]): Float32Array {
  const b = union(outlines);
  // About three times the model's field: enough for the area average to see the strokes as drawn.
  const scale = (3 * DIGIT_BOX) / Math.max(1, b.maxX - b.minX, b.maxY - b.minY);
  const margin = 2;
  const width = Math.ceil((b.maxX - b.minX) * scale) + 2 * margin,
    height = Math.ceil((b.maxY - b.minY) * scale) + 2 * margin;
  const ink = new Float32Array(width * height);
  const placed = strokes.map((s) => ({
    width: s.width * scale,
    points: s.points.map(([x, y]) => [(x - b.minX) * scale + margin, (y - b.minY) * scale + margin] as const),
  }));
  paintStrokes(ink, width, height, placed);
  return normalizeDigit({ width, height, ink }, { x: 0, y: 0, width, height });
}

/**
 * Boundaries between consecutive strokes that are most likely one digit's: the next stroke stands in
 * the same columns as the one before it, centre over centre (a 4's stem in its L, a 5's bar over its
 * body, the second half of a 3). A reading that ends a digit there pays, as for a cut through ink;
 * two digits side by side, even slanted, stand apart.
 */
function sameDigitBoundaries(pieces: readonly Outline[], lineHeight: number): number[] {
  const boundaries: number[] = [];
  const centre = (o: Outline) => (o.minX + o.maxX) / 2;
  for (let i = 0; i + 1 < pieces.length; i++) {
    const a = pieces[i]!,
      b = pieces[i + 1]!;
    const overlap = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
    if (overlap > 0 && Math.abs(centre(a) - centre(b)) < SAME_DIGIT_DRIFT * lineHeight) boundaries.push(i);
  }
  return boundaries;
}

/**
 * A drawing's candidate digits and their lattice, from its strokes in writing order (pixels of the
 * image the pad would export; boxes come back in those pixels). Throws TooManyMarksError past
 * MAX_MARKS strokes and TooManyDigitsError past `maxDigits` digit-sized strokes.
 */
export function prepareStrokes(strokes: readonly PixelStroke[], options: StrokeOptions = {}): PreparedDigits {
  const drawn = strokes.filter((s) => s.points.length > 0);
  if (drawn.length === 0) return { inputs: [], boxes: [], reason: 'blank' };
  if (drawn.length > MAX_MARKS) throw new TooManyMarksError(drawn.length, MAX_MARKS);
  const outlines = drawn.map(outlineOf);
  const height = (o: StrokeOutline) => o.maxY - o.minY;
  if (options.single) {
    const all = union(outlines);
    return {
      inputs: [drawCandidate(drawn, outlines)],
      boxes: [toBox(all)],
      lattice: { pieces: 1, spans: [[0, 1]], separators: [], lineHeight: all.maxY - all.minY },
    };
  }
  // The line of writing, from its taller strokes (a digit's bar or a dot is not a digit's height).
  const tallest = Math.max(...outlines.map(height));
  const tallIndices = outlines.map((o, i) => (height(o) >= 0.45 * tallest ? i : -1)).filter((i) => i >= 0);
  const tall = tallIndices.map((i) => outlines[i]!);
  // The writer's slant: the lean of the digits' strokes, the very straight ones aside (a slash must
  // not set the slant it is measured against).
  const shapes = tall.map((o) => o.shape());
  const curved = shapes.filter((s) => s.elongation >= 1.5 && s.elongation < 8).map((s) => s.lean);
  const slants = curved.length ? curved : shapes.map((s) => s.lean);
  const line: LineMetrics = {
    height: median(tall.map(height)),
    top: median(tall.map((o) => o.minY)),
    baseline: median(tall.map((o) => o.maxY)),
    slant: slants.length ? median(slants) : 0,
  };
  const H = Math.max(1, line.height);
  // A small stroke that touches another is part of a digit (a pen lifted mid-digit), never a separator.
  const attached = (i: number) => outlines.some((o, j) => j !== i && touching(drawn[i]!, drawn[j]!));
  const small = (o: StrokeOutline) =>
    o.maxY - o.minY <= 0.36 * Math.max(1, line.height) && o.maxX - o.minX <= 0.4 * Math.max(1, line.height);
  // (A comma hanging below the line may touch the digit above it.)
  const hanging = (o: StrokeOutline) => (o.minY + o.maxY) / 2 > line.baseline;
  const free = outlines.map((o, i) => i).filter((i) => !small(outlines[i]!) || hanging(outlines[i]!) || !attached(i));
  const verdicts = classifySeparators(outlines, free, tallIndices, line);
  const separators: Lattice['separators'] = [];
  for (const [i, char] of verdicts.separators) {
    const partner = verdicts.partners.get(i);
    separators.push({ char, box: toBox(union(partner === undefined ? [outlines[i]!] : [outlines[i]!, outlines[partner]!])) });
  }
  const partnerDots = new Set(verdicts.partners.values());
  // The pieces: every stroke that is not a separator or a speck, in writing order.
  const pieces = outlines.filter((o) => !verdicts.separators.has(o.index) && !partnerDots.has(o.index) && !verdicts.noise.has(o.index));
  if (pieces.length === 0) return { inputs: [], boxes: [], reason: 'no-digit-shape' };
  const digitSized = pieces.filter((o) => height(o) >= 0.6 * H).length;
  const maxDigits = options.maxDigits ?? MAX_DIGITS;
  if (digitSized > maxDigits) throw new TooManyDigitsError(digitSized, maxDigits);
  const inputs: Float32Array[] = [];
  const boxes: Box[] = [];
  const spans: [number, number][] = [];
  for (let from = 0; from < pieces.length; from++) {
    for (let to = from + 1; to <= Math.min(pieces.length, from + MAX_STROKES_PER_DIGIT); to++) {
      const group = pieces.slice(from, to);
      const b = union(group);
      // A digit is not much wider than the writing is tall; strokes of one digit lie close together.
      if (to > from + 1 && (b.maxX - b.minX > 1.4 * Math.max(H, b.maxY - b.minY) || b.maxY - b.minY > 1.8 * H)) break;
      spans.push([from, to]);
      inputs.push(
        drawCandidate(
          group.map((o) => drawn[o.index]!),
          group,
        ),
      );
      boxes.push(toBox(b));
    }
  }
  if (inputs.length > MAX_CANDIDATES) throw new TooManyMarksError(pieces.length, Math.floor(MAX_CANDIDATES / MAX_STROKES_PER_DIGIT));
  return { inputs, boxes, lattice: { pieces: pieces.length, spans, cuts: sameDigitBoundaries(pieces, H), separators, lineHeight: H } };
}
