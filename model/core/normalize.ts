/**
 * Normalisation, the pipeline's third stage: one digit's ink (its box of the ink map, and which
 * pixels in it are its own) made into a model input as MNIST was made: cropped, the longest side
 * scaled to DIGIT_BOX with area averaging, the centre of mass at the field's centre.
 */
import { DIGIT_BOX, DIGIT_CENTRE, DIGIT_PIXELS, DIGIT_SIDE } from './constants.js';
import type { InkMap } from './ink-map.js';
import type { Box } from './types.js';

/**
 * MNIST-style normalization of one digit: crop `box` of the ink map (only pixels where `keep` says
 * so, if given), scale the longest side to 20 px with area averaging, centre the centre of mass
 * in the DIGIT_SIDE field. Returns DIGIT_PIXELS values in [0,1], white ink on black.
 */
export function normalizeDigit(map: InkMap, box: Box, keep?: (x: number, y: number) => boolean): Float32Array {
  const out = new Float32Array(DIGIT_PIXELS);
  if (box.width <= 0 || box.height <= 0) return out;
  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  // Area-average resampling: every source pixel adds its ink, weighted by overlap, to the target.
  const scaled = new Float32Array(width * height);
  const sx = width / box.width;
  const sy = height / box.height;
  for (let y = 0; y < box.height; y++) {
    const top = y * sy,
      bottom = (y + 1) * sy;
    for (let x = 0; x < box.width; x++) {
      const mx = box.x + x,
        my = box.y + y;
      const v = map.ink[my * map.width + mx]!;
      if (v === 0 || (keep && !keep(mx, my))) continue;
      const left = x * sx,
        right = (x + 1) * sx;
      for (let ty = Math.floor(top); ty < Math.min(height, Math.ceil(bottom)); ty++) {
        const oy = Math.min(bottom, ty + 1) - Math.max(top, ty);
        if (oy <= 0) continue;
        for (let tx = Math.floor(left); tx < Math.min(width, Math.ceil(right)); tx++) {
          const ox = Math.min(right, tx + 1) - Math.max(left, tx);
          if (ox > 0) scaled[ty * width + tx]! += v * ox * oy;
        }
      }
    }
  }
  // When shrinking, each target pixel gathered (1/sx * 1/sy) source pixels' worth of area; when
  // enlarging, a fraction. Either way the sum of overlaps per target pixel is 1 at full coverage.
  let mass = 0,
    cx = 0,
    cy = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = Math.min(1, scaled[y * width + x]!);
      scaled[y * width + x] = v;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  if (mass === 0) return out;
  cx /= mass;
  cy /= mass;
  // Put the centre of mass at the centre of the field, keeping the whole digit inside.
  const offsetX = Math.max(0, Math.min(DIGIT_SIDE - width, Math.round(DIGIT_CENTRE - cx)));
  const offsetY = Math.max(0, Math.min(DIGIT_SIDE - height, Math.round(DIGIT_CENTRE - cy)));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[(y + offsetY) * DIGIT_SIDE + x + offsetX] = scaled[y * width + x]!;
  return out;
}
