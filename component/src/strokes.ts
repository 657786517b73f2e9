/**
 * The drawing as data: a list of strokes, each a polyline. Points are stored as fractions of the
 * pad's width (x and y alike), so the drawing keeps its shape when the pad is resized, is sharp at
 * any devicePixelRatio, and can be undone stroke by stroke.
 */
import { padRegion, READING_PEN_SHARE, WORKING_SIZE, type PadRegion, type PixelImage } from '../../model/core/index.js';

export interface Point {
  readonly x: number;
  readonly y: number;
  /** The pen's pressure (0..1) where the device reports it (pens); absent for mouse and touch. */
  readonly pressure?: number;
}

export interface Stroke {
  readonly points: Point[];
  /** Line width as a fraction of the pad's width. */
  readonly width: number;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * Line width at a pressure, as a share of the stroke's width: a normal press (0.5, also what
 * pens without pressure report) draws the stroke's width, a light touch 60% of it, a hard press 140%.
 */
export function pressureWidth(pressure: number | undefined): number {
  return pressure === undefined ? 1 : 0.6 + 0.8 * Math.min(1, Math.max(0, pressure));
}

/**
 * The share of the pressure's width variation kept for reading: a ballpoint or a felt pen varies
 * by a fifth either way at most, so the model sees 80-120% of the width, never the 60-140% shown.
 */
export const READING_PRESSURE_SHARE = 0.5;

/** Whether the pressure varies along the stroke: then it is drawn piece by piece; else as one path. */
function pressureVaries(stroke: Stroke): boolean {
  const first = stroke.points[0]?.pressure;
  return stroke.points.some((p) => p.pressure !== first);
}

/** A pressure stroke piece by piece, each piece as wide as the pressure at its middle point says. */
function drawPressureStroke(ctx: Context2D, points: readonly Point[], width: number, scale: number): void {
  const last = points.length - 1;
  let start: Point = points[0]!;
  for (let i = 1; i <= last; i++) {
    const p = points[i]!;
    const end = i < last ? { x: (p.x + points[i + 1]!.x) / 2, y: (p.y + points[i + 1]!.y) / 2 } : p;
    ctx.lineWidth = width * pressureWidth(p.pressure);
    ctx.beginPath();
    ctx.moveTo(start.x * scale, start.y * scale);
    if (i < last) ctx.quadraticCurveTo(p.x * scale, p.y * scale, end.x * scale, end.y * scale);
    else ctx.lineTo(end.x * scale, end.y * scale);
    ctx.stroke();
    start = end;
  }
}

/**
 * Draws strokes at `scale` device pixels per pad width. Points are joined by quadratic curves
 * through the midpoints of successive points, which smooths the corners of sampled pointer paths.
 */
export function drawStrokes(ctx: Context2D, strokes: readonly Stroke[], scale: number, color: string): void {
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const stroke of strokes) {
    const points = stroke.points;
    const first = points[0];
    if (!first) continue;
    const width = stroke.width * scale;
    if (points.length === 1) {
      // A tap is a dot, as a pen leaves one.
      ctx.beginPath();
      ctx.arc(first.x * scale, first.y * scale, (width * pressureWidth(first.pressure)) / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    if (pressureVaries(stroke)) {
      drawPressureStroke(ctx, points, width, scale);
      continue;
    }
    ctx.lineWidth = width * pressureWidth(first.pressure);
    ctx.beginPath();
    ctx.moveTo(first.x * scale, first.y * scale);
    for (let i = 1; i < points.length - 1; i++) {
      const p = points[i]!;
      const next = points[i + 1]!;
      ctx.quadraticCurveTo(p.x * scale, p.y * scale, ((p.x + next.x) / 2) * scale, ((p.y + next.y) / 2) * scale);
    }
    const last = points[points.length - 1]!;
    ctx.lineTo(last.x * scale, last.y * scale);
    ctx.stroke();
  }
}

/** The export resolution: the recognition core's working size, which it would reduce to anyway. */
export const EXPORT_LONGEST_SIDE = WORKING_SIZE;
/**
 * The exported region is at least this share of the pad's height on each side: small writing is
 * not lost in a big white page, and a stray tap stays a speck instead of being blown up to a digit.
 */
export const MIN_REGION = 0.5;

export interface DrawingImage {
  /** Black ink on white paper. */
  image: PixelImage;
  /** Where the image lies on the pad, in pad widths: its top-left corner and the side of one of its pixels. */
  left: number;
  top: number;
  pixel: number;
}

/**
 * The strokes as they are read: the pen no wider than READING_PEN_SHARE of the writing's height,
 * and its pressure's effect on the width kept to what real pens do (READING_PRESSURE_SHARE). A
 * finger's 16 px line across a row of small digits fills their loops; the model knows pens a tenth
 * of a digit tall. The pad shows the strokes as drawn.
 */
export function readingStrokes(strokes: readonly Stroke[]): Stroke[] {
  let minY = Infinity,
    maxY = -Infinity;
  for (const stroke of strokes) {
    for (const p of stroke.points) {
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
  }
  const pen = READING_PEN_SHARE * (maxY - minY);
  return strokes.map((stroke) => {
    if (stroke.points.every((p) => p.pressure === undefined)) return stroke.width > pen && pen > 0 ? { ...stroke, width: pen } : stroke;
    const points = stroke.points.map((p) =>
      p.pressure === undefined ? p : { ...p, pressure: 0.5 + (p.pressure - 0.5) * READING_PRESSURE_SHARE },
    );
    // The widest point, not the stroke's nominal width, stays within the pen.
    const widest = Math.max(...points.map((p) => pressureWidth(p.pressure)));
    return { points, width: pen > 0 ? Math.min(stroke.width, pen / widest) : stroke.width };
  });
}

/**
 * Renders the written part of the drawing (the strokes' bounds plus a margin, at least MIN_REGION
 * of the pad tall and wide) as black ink on white paper with `longestSide` pixels, so the same
 * strokes give the same pixels on every screen. `aspect` is the pad's height / width.
 * Undefined when there is no stroke.
 */
export function strokesToImage(strokes: readonly Stroke[], aspect: number, longestSide = EXPORT_LONGEST_SIDE): DrawingImage | undefined {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const stroke of strokes) {
    const r = stroke.width / 2;
    for (const p of stroke.points) {
      minX = Math.min(minX, p.x - r);
      minY = Math.min(minY, p.y - r);
      maxX = Math.max(maxX, p.x + r);
      maxY = Math.max(maxY, p.y + r);
    }
  }
  if (!Number.isFinite(minX)) return undefined;
  const margin = 0.05 * aspect;
  const grow = (lo: number, hi: number) => {
    const side = Math.max(hi - lo + 2 * margin, MIN_REGION * aspect);
    const centre = (lo + hi) / 2;
    return [centre - side / 2, side] as const;
  };
  const [left, regionWidth] = grow(minX, maxX);
  const [top, regionHeight] = grow(minY, maxY);
  const pixel = Math.max(regionWidth, regionHeight) / longestSide;
  const width = Math.max(1, Math.round(regionWidth / pixel));
  const height = Math.max(1, Math.round(regionHeight / pixel));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot create a 2D canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.translate(-left / pixel, -top / pixel);
  drawStrokes(ctx, readingStrokes(strokes), 1 / pixel, '#000');
  const { data } = ctx.getImageData(0, 0, width, height);
  return { image: { width, height, data, channels: 4 }, left, top, pixel };
}

/**
 * The drawing as the core reads it: its strokes, in the order drawn, in the pixels of the image
 * strokesToImage would export (the same region, pen and pressure rule), so the reading's boxes land
 * on the pad as an image's would. A stroke's pressure becomes its mean width: the core draws each
 * candidate with one pen per stroke. Undefined when there is no stroke.
 */
export function strokesForReading(strokes: readonly Stroke[], aspect: number, longestSide = EXPORT_LONGEST_SIDE): PadRegion | undefined {
  const pen = readingStrokes(strokes).map((stroke) => ({
    points: stroke.points,
    width: stroke.width * (stroke.points.reduce((sum, p) => sum + pressureWidth(p.pressure), 0) / Math.max(1, stroke.points.length)),
  }));
  return padRegion(pen, aspect, longestSide);
}
