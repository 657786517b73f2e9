/**
 * Data augmentation for 28x28 digits: random affine (rotation, scale, shear, shift), elastic
 * distortion (Simard et al. 2003) and stroke thickness changes, so the network sees the variety of
 * real handwriting, pens and imperfect normalization that MNIST alone lacks.
 */
import { createRandom, uniform, type Random } from './random.js';
import { DIGIT_PIXELS, DIGIT_SIDE } from '../core/index.js';

export interface AugmentOptions {
  rotationDegrees: number;
  scale: number; // +- fraction
  shear: number;
  shiftPixels: number;
  elasticProbability: number;
  elasticAlpha: number;
  thickenProbability: number;
  thinProbability: number;
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  rotationDegrees: 15,
  scale: 0.15,
  shear: 0.2,
  shiftPixels: 2.5,
  elasticProbability: 0.5,
  elasticAlpha: 34,
  thickenProbability: 0.2,
  thinProbability: 0.1,
};

const SIZE = DIGIT_SIDE;
const FIELD_COUNT = 200;

/** Smoothed random displacement fields, precomputed once (the Gaussian blur is the expensive part). */
function makeElasticFields(random: Random, sigma = 4): Float32Array[] {
  const radius = Math.ceil(sigma * 3);
  const kernel: number[] = [];
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const k = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel.push(k);
    sum += k;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  const blur = (field: Float32Array) => {
    const tmp = new Float32Array(SIZE * SIZE);
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * field[y * SIZE + Math.min(SIZE - 1, Math.max(0, x + k))]!;
        tmp[y * SIZE + x] = acc;
      }
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) acc += kernel[k + radius]! * tmp[Math.min(SIZE - 1, Math.max(0, y + k)) * SIZE + x]!;
        field[y * SIZE + x] = acc;
      }
    return field;
  };
  const fields: Float32Array[] = [];
  for (let f = 0; f < FIELD_COUNT; f++) {
    const dx = new Float32Array(SIZE * SIZE).map(() => uniform(random, -1, 1));
    const dy = new Float32Array(SIZE * SIZE).map(() => uniform(random, -1, 1));
    const both = new Float32Array(SIZE * SIZE * 2);
    both.set(blur(dx), 0);
    both.set(blur(dy), SIZE * SIZE);
    fields.push(both);
  }
  return fields;
}

function sampleBilinear(src: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= SIZE || yy >= SIZE ? 0 : src[yy * SIZE + xx]!);
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/** Grey-level morphology with a 3x3 cross: max (thicken) or min (thin). */
function morph(src: Float32Array, dst: Float32Array, pick: (a: number, b: number) => number): void {
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      let v = src[y * SIZE + x]!;
      if (x > 0) v = pick(v, src[y * SIZE + x - 1]!);
      if (x < SIZE - 1) v = pick(v, src[y * SIZE + x + 1]!);
      if (y > 0) v = pick(v, src[(y - 1) * SIZE + x]!);
      if (y < SIZE - 1) v = pick(v, src[(y + 1) * SIZE + x]!);
      dst[y * SIZE + x] = v;
    }
}

export class Augmenter {
  private readonly random: Random;
  private readonly fields: Float32Array[];
  private readonly scratch = new Float32Array(SIZE * SIZE);
  private readonly scratch2 = new Float32Array(SIZE * SIZE);

  constructor(
    seed: number,
    private readonly options: AugmentOptions = DEFAULT_AUGMENT,
  ) {
    this.random = createRandom(seed);
    this.fields = makeElasticFields(createRandom(seed ^ 0x5eed));
  }

  /** Writes an augmented copy of `src` (DIGIT_PIXELS values in [0,1]) into `dst`. */
  augment(src: Float32Array, dst: Float32Array): void {
    const o = this.options;
    const r = this.random;
    const angle = (uniform(r, -o.rotationDegrees, o.rotationDegrees) * Math.PI) / 180;
    const scale = 1 + uniform(r, -o.scale, o.scale);
    const aspect = 1 + uniform(r, -0.1, 0.1);
    const sx = scale * aspect;
    const sy = scale / aspect;
    const shear = uniform(r, -o.shear, o.shear);
    const tx = uniform(r, -o.shiftPixels, o.shiftPixels);
    const ty = uniform(r, -o.shiftPixels, o.shiftPixels);
    // Forward map A = R * Shear * S; sample the source at A^-1 (p - c - t) + c.
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const a = cos * sx,
      b = (cos * shear - sin) * sy,
      c = sin * sx,
      d = (sin * shear + cos) * sy;
    const det = a * d - b * c;
    const ia = d / det,
      ib = -b / det,
      ic = -c / det,
      id = a / det;
    const field = this.random() < o.elasticProbability ? this.fields[Math.floor(this.random() * this.fields.length)]! : undefined;
    const alpha = field ? uniform(r, 0, o.elasticAlpha) : 0;
    const centre = (SIZE - 1) / 2;
    const out = this.scratch;
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        let px = x - centre - tx;
        let py = y - centre - ty;
        if (field) {
          px += alpha * field[y * SIZE + x]!;
          py += alpha * field[SIZE * SIZE + y * SIZE + x]!;
        }
        out[y * SIZE + x] = sampleBilinear(src, ia * px + ib * py + centre, ic * px + id * py + centre);
      }
    const thickness = this.random();
    if (thickness < o.thickenProbability) {
      morph(out, this.scratch2, Math.max);
      // Blend so the stroke grows by about half a pixel each side, not a whole one.
      for (let i = 0; i < out.length; i++) dst[i] = 0.5 * (out[i]! + this.scratch2[i]!);
    } else if (thickness < o.thickenProbability + o.thinProbability) {
      morph(out, this.scratch2, Math.min);
      for (let i = 0; i < out.length; i++) dst[i] = 0.5 * (out[i]! + this.scratch2[i]!);
    } else {
      dst.set(out);
    }
  }

  /** Augments `count` digits of a byte image array into a new float array. */
  augmentBatch(images: Uint8Array, indices: ArrayLike<number>): Float32Array {
    const out = new Float32Array(indices.length * DIGIT_PIXELS);
    const src = new Float32Array(DIGIT_PIXELS);
    const dst = new Float32Array(DIGIT_PIXELS);
    for (let n = 0; n < indices.length; n++) {
      const offset = indices[n]! * DIGIT_PIXELS;
      for (let i = 0; i < DIGIT_PIXELS; i++) src[i] = images[offset + i]! / 255;
      this.augment(src, dst);
      out.set(dst, n * DIGIT_PIXELS);
    }
    return out;
  }
}
