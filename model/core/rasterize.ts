/**
 * Pen strokes rasterized in plain TypeScript, the way the element's pad draws them on its canvas
 * (component/src/strokes.ts): quadratic curves through the midpoints of successive points, round caps
 * and joins, a tap drawn as a dot, anti-aliased coverage (1 inside the stroke, falling off linearly
 * over the pixel at its edge: what canvas anti-aliasing gives for a thick line to within a few
 * percent). The core draws each candidate digit of a drawing alone with it (strokes.ts); training and
 * tests draw the pad's exports with it, without a browser.
 */
import type { PixelImage } from './types.js';

/** A pen-down to pen-up trajectory in pixels of the target image. */
export interface PixelStroke {
  points: readonly (readonly [number, number])[];
  /** Line width in pixels. */
  width: number;
}

/** Points along the canvas path the pad draws for `points`: quadratic curves through the midpoints. */
export function flattenStroke(points: readonly (readonly [number, number])[]): [number, number][] {
  if (points.length <= 2) return points.map(([x, y]) => [x, y]);
  const out: [number, number][] = [[points[0]![0], points[0]![1]]];
  let start = out[0]!;
  for (let i = 1; i < points.length - 1; i++) {
    const [cx, cy] = points[i]!;
    const next = points[i + 1]!;
    const end: [number, number] = [(cx + next[0]) / 2, (cy + next[1]) / 2];
    // Enough pieces that each is under about 2 px: the curve stays round at any size.
    const length = Math.hypot(cx - start[0], cy - start[1]) + Math.hypot(end[0] - cx, end[1] - cy);
    const steps = Math.max(1, Math.min(16, Math.ceil(length / 2)));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps,
        u = 1 - t;
      out.push([u * u * start[0] + 2 * u * t * cx + t * t * end[0], u * u * start[1] + 2 * u * t * cy + t * t * end[1]]);
    }
    start = end;
  }
  const last = points[points.length - 1]!;
  out.push([last[0], last[1]]);
  return out;
}

/** Adds a round-capped segment's coverage to `ink` (max, as paint over paint). */
function paintSegment(
  ink: Float32Array,
  width: number,
  height: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  radius: number,
  opacity: number,
): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius - 1));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + radius + 1));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius - 1));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + radius + 1));
  const dx = bx - ax,
    dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      let t = lengthSquared > 0 ? ((px - ax) * dx + (py - ay) * dy) / lengthSquared : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const distance = Math.hypot(px - ax - t * dx, py - ay - t * dy);
      const coverage = Math.min(1, radius + 0.5 - distance) * opacity;
      if (coverage > 0) {
        const at = y * width + x;
        if (coverage > ink[at]!) ink[at] = coverage;
      }
    }
  }
}

/** Paints strokes into an ink coverage map (0 paper .. 1 ink). */
export function paintStrokes(ink: Float32Array, width: number, height: number, strokes: readonly PixelStroke[], opacity = 1): void {
  for (const stroke of strokes) {
    const radius = Math.max(0.25, stroke.width / 2);
    const path = flattenStroke(stroke.points);
    if (path.length === 1) {
      const [x, y] = path[0]!;
      paintSegment(ink, width, height, x, y, x, y, radius, opacity);
      continue;
    }
    for (let i = 1; i < path.length; i++) {
      const [ax, ay] = path[i - 1]!;
      const [bx, by] = path[i]!;
      paintSegment(ink, width, height, ax, ay, bx, by, radius, opacity);
    }
  }
}

/** Strokes drawn as black ink on white paper, as the pad exports them: one grey channel. */
export function renderStrokes(strokes: readonly PixelStroke[], width: number, height: number): PixelImage {
  const ink = new Float32Array(width * height);
  paintStrokes(ink, width, height, strokes);
  return inkToImage(ink, width, height);
}

/** Ink coverage to a grey image: black ink on white. */
export function inkToImage(ink: Float32Array, width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(255 * (1 - ink[i]!));
  return { width, height, data, channels: 1 };
}
