/**
 * The drawing pad's geometry, shared by the element (which draws and exports) and by everything that
 * reads its drawings: the written part of the pad (the strokes' bounds plus a margin, at least half
 * the pad's height each way) is read at WORKING_SIZE on its longest side, with the pen no wider than
 * READING_PEN_SHARE of the writing's height (a 16 px finger stroke across a row of small digits would
 * fill their loops; the screen shows the strokes as drawn).
 */
import { READING_PEN_SHARE, WORKING_SIZE } from './constants.js';
import type { PixelStroke } from './rasterize.js';

/** A stroke on the pad: points in pad widths (x and y alike), width in pad widths. */
export interface PadStroke {
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly width: number;
}

/** The exported region of a pad whose height is `aspect` times its width. Undefined without strokes. */
export interface PadRegion {
  /** Top-left corner of the region on the pad, in pad widths. */
  left: number;
  top: number;
  /** The side of one exported pixel, in pad widths. */
  pixel: number;
  width: number;
  height: number;
  /** The strokes in the region's pixels, the pen no wider than READING_PEN_SHARE of the writing's height. */
  strokes: PixelStroke[];
}

/** Share of the pad's height the region keeps on each side at least: a stray tap stays a speck. */
export const MIN_REGION = 0.5;

export function padRegion(strokes: readonly PadStroke[], aspect: number, longestSide = WORKING_SIZE): PadRegion | undefined {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity,
    top = Infinity,
    bottom = -Infinity;
  for (const stroke of strokes) {
    const r = stroke.width / 2;
    for (const p of stroke.points) {
      minX = Math.min(minX, p.x - r);
      minY = Math.min(minY, p.y - r);
      maxX = Math.max(maxX, p.x + r);
      maxY = Math.max(maxY, p.y + r);
      top = Math.min(top, p.y);
      bottom = Math.max(bottom, p.y);
    }
  }
  if (!Number.isFinite(minX)) return undefined;
  const margin = 0.05 * aspect;
  const grow = (lo: number, hi: number) => {
    const side = Math.max(hi - lo + 2 * margin, MIN_REGION * aspect);
    return [(lo + hi) / 2 - side / 2, side] as const;
  };
  const [left, regionWidth] = grow(minX, maxX);
  const [regionTop, regionHeight] = grow(minY, maxY);
  const pixel = Math.max(regionWidth, regionHeight) / longestSide;
  const pen = READING_PEN_SHARE * (bottom - top);
  return {
    left,
    top: regionTop,
    pixel,
    width: Math.max(1, Math.round(regionWidth / pixel)),
    height: Math.max(1, Math.round(regionHeight / pixel)),
    strokes: strokes.map((s) => ({
      width: (pen > 0 ? Math.min(s.width, pen) : s.width) / pixel,
      points: s.points.map((p) => [(p.x - left) / pixel, (p.y - regionTop) / pixel] as const),
    })),
  };
}
