/**
 * Real writers' digits drawn as the pad draws them: each sample's strokes are normalised by their own
 * bounding box (every dataset has its own units), given the variety of people drawing on a pad
 * (size, slant, rotation, width of the hand, stroke width from a thin ballpoint to a marker), and
 * rendered with the pad's renderer. `writingVariants` adds the ways of writing no set covers well.
 */
import { gaussian, uniform, type Random } from '../random.js';
import type { PixelStroke } from '../../core/index.js';

export type UnitStrokes = [number, number][][];

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function boundsOf(strokes: readonly (readonly (readonly [number, number])[])[]): Bounds {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const stroke of strokes)
    for (const [x, y] of stroke) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  return { minX, minY, maxX, maxY };
}

/** Strokes scaled so the digit is 1 tall (or 1 wide when wider than tall), top-left at 0, shape kept. */
export function toUnitBox(strokes: readonly (readonly (readonly [number, number])[])[]): UnitStrokes {
  const b = boundsOf(strokes);
  const side = Math.max(b.maxY - b.minY, (b.maxX - b.minX) * 0.5, 1e-9);
  // Repeated samples (the pen resting) add nothing to the path.
  return strokes.map((stroke) => {
    const out: [number, number][] = [];
    for (const [x, y] of stroke) {
      const p: [number, number] = [(x - b.minX) / side, (y - b.minY) / side];
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  });
}

export interface DrawStyle {
  /** Digit height in pixels. */
  height: number;
  /** Stroke width as a fraction of the digit height. */
  widthRatio: number;
  /** x += slant * (height - y): positive leans right. */
  slant: number;
  rotationDegrees: number;
  /** Horizontal stretch. */
  aspect: number;
}

/** A pad user's way of drawing, at random: from a thin ballpoint to a marker, upright to heavily slanted. */
export function randomStyle(random: Random, height: [number, number] = [44, 120]): DrawStyle {
  return {
    height: uniform(random, height[0], height[1]),
    // Log-uniform: as many thin pens as thick ones.
    widthRatio: Math.exp(uniform(random, Math.log(0.035), Math.log(0.2))),
    slant: Math.max(-0.5, Math.min(0.6, gaussian(random) * 0.18 + 0.05)),
    rotationDegrees: uniform(random, -8, 8),
    aspect: Math.exp(uniform(random, Math.log(0.8), Math.log(1.25))),
  };
}

/** Unit-box strokes placed into pixels with a style; returns the strokes and the image size they need. */
export function placeStrokes(
  strokes: UnitStrokes,
  style: DrawStyle,
  margin = 4,
): { strokes: PixelStroke[]; width: number; height: number } {
  const angle = (style.rotationDegrees * Math.PI) / 180;
  const cos = Math.cos(angle),
    sin = Math.sin(angle);
  const transformed = strokes.map((stroke) =>
    stroke.map(([x, y]): [number, number] => {
      const sx = x * style.aspect + style.slant * (1 - y);
      return [(sx * cos - y * sin) * style.height, (sx * sin + y * cos) * style.height];
    }),
  );
  const b = boundsOf(transformed);
  const width = style.widthRatio * style.height;
  const pad = width / 2 + margin;
  return {
    strokes: transformed.map((stroke) => ({
      points: stroke.map(([x, y]) => [x - b.minX + pad, y - b.minY + pad] as [number, number]),
      width,
    })),
    width: Math.ceil(b.maxX - b.minX + 2 * pad),
    height: Math.ceil(b.maxY - b.minY + 2 * pad),
  };
}

/** Douglas-Peucker simplification: curves become corners (a Z-like 2, a straight-tailed 9, an angular 4). */
export function simplify(points: [number, number][], epsilon: number): [number, number][] {
  if (points.length < 3) return points;
  const [ax, ay] = points[0]!;
  const [bx, by] = points[points.length - 1]!;
  const dx = bx - ax,
    dy = by - ay;
  const length = Math.hypot(dx, dy) || 1e-9;
  let worst = 0,
    index = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i]!;
    const distance = Math.abs(dy * (px - ax) - dx * (py - ay)) / length;
    if (distance > worst) {
      worst = distance;
      index = i;
    }
  }
  if (worst <= epsilon) return [points[0]!, points[points.length - 1]!];
  return [...simplify(points.slice(0, index + 1), epsilon).slice(0, -1), ...simplify(points.slice(index), epsilon)];
}

const line = (x0: number, y0: number, x1: number, y1: number, steps = 6): [number, number][] =>
  Array.from({ length: steps + 1 }, (_, i) => [x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps] as [number, number]);

/** Whether a one-stroke 1 is a plain bar (no flag or base yet): its points stay near the line joining its ends. */
function isPlainBar(strokes: UnitStrokes): boolean {
  if (strokes.length !== 1) return false;
  const points = strokes[0]!;
  const [ax, ay] = points[0]!;
  const [bx, by] = points[points.length - 1]!;
  const length = Math.hypot(bx - ax, by - ay) || 1e-9;
  return points.every(([px, py]) => Math.abs((by - ay) * (px - ax) - (bx - ax) * (py - ay)) / length < 0.08);
}

/**
 * The ways of writing that the sets hold few of, as stroke edits of a real sample (in unit-box
 * coordinates, y down): a continental 1 (a long flag up to the top, often a base), a 7 with a bar
 * through its stem, a 0 with a slash, and corners instead of curves. Returns the sample unchanged
 * when no edit applies to its digit.
 */
export function writingVariant(label: number, strokes: UnitStrokes, random: Random): UnitStrokes {
  const b = boundsOf(strokes);
  const top = strokes.flat().reduce((best, p) => (p[1] < best[1] ? p : best));
  const bottom = strokes.flat().reduce((best, p) => (p[1] > best[1] ? p : best));
  const choice = random();
  if (label === 1 && isPlainBar(strokes)) {
    const out = strokes.map((s) => [...s]);
    // The flag: from down-left up to the top, 25-60% of the height, 20-65 degrees above horizontal.
    const length = uniform(random, 0.25, 0.6);
    const angle = (uniform(random, 20, 65) * Math.PI) / 180;
    const start: [number, number] = [top[0] - length * Math.cos(angle), top[1] + length * Math.sin(angle)];
    const stem = out[0]![0]![1] <= out[0]![out[0]!.length - 1]![1] ? out[0]! : [...out[0]!].reverse();
    out[0] = [...line(start[0], start[1], top[0], top[1], 4).slice(0, -1), ...stem];
    if (choice < 0.4) {
      const half = uniform(random, 0.15, 0.3);
      out.push(line(bottom[0] - half, bottom[1], bottom[0] + half, bottom[1]));
    }
    return out;
  }
  if (label === 7 && choice < 0.8) {
    // A bar across the stem at about mid-height, from left of it to right of it.
    const y = b.minY + uniform(random, 0.45, 0.62) * (b.maxY - b.minY);
    const stemX = stemXAt(strokes, y) ?? (b.minX + b.maxX) / 2;
    const half = uniform(random, 0.14, 0.26);
    return [...strokes, line(stemX - half, y + uniform(random, -0.03, 0.03), stemX + half, y + uniform(random, -0.03, 0.03))];
  }
  if (label === 0 && choice < 0.5) {
    const inset = uniform(random, -0.05, 0.12) * (b.maxX - b.minX);
    return [...strokes, line(b.maxX - inset, b.minY + 0.05, b.minX + inset, b.maxY - 0.05)];
  }
  // Corners instead of curves: a Z-like 2, a straight-tailed 9, an angular 4 or 7.
  if ([2, 4, 7, 9, 3, 5].includes(label)) return strokes.map((s) => simplify(s, uniform(random, 0.04, 0.1)));
  return strokes;
}

/** The x where the strokes cross height y (the first crossing found), for placing a 7's bar. */
function stemXAt(strokes: UnitStrokes, y: number): number | undefined {
  for (const stroke of strokes)
    for (let i = 1; i < stroke.length; i++) {
      const [ax, ay] = stroke[i - 1]!;
      const [bx, by] = stroke[i]!;
      if ((ay - y) * (by - y) <= 0 && ay !== by) return ax + ((y - ay) / (by - ay)) * (bx - ax);
    }
  return undefined;
}
