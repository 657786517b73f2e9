/**
 * What the model learns from, epoch by epoch: MNIST, real writers' pen strokes drawn as the pad
 * draws them (with the ways of writing the sets lack), USPS envelope scans, and the "not one digit"
 * class. Every sample that is not already an MNIST field goes through the recognition core's own
 * preparation (ink map, crop, normalisation), so the model sees exactly what the product shows it.
 */
import { DIGIT_CLASSES, DIGIT_PIXELS, prepareDigits, TooManyMarksError, type PixelImage } from '../../core/index.js';
import { Augmenter } from '../augment.js';
import { createRandom, gaussian, permutation, uniform, type Random } from '../random.js';
import type { DigitSet } from './idx.js';
import type { StrokeDigit, UspsSet } from './handwriting.js';
import { InkCanvas, makeReject, randomRejectKind, type DigitSource, type RejectKind } from './rejects.js';
import { placeStrokes, randomStyle, toUnitBox, writingVariant, type UnitStrokes } from './stroke-digits.js';
import { inkToImage } from '../../core/index.js';

/** The label of the "not one digit" class: the output after the ten digits. */
export const REJECT_CLASS = DIGIT_CLASSES;
export const CLASSES_WITH_REJECT = DIGIT_CLASSES + 1;

export interface LabelledInputs {
  /** count x DIGIT_PIXELS floats in [0,1]. */
  inputs: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** Reads model inputs and says which are a digit with this probability or more (to drop look-alike rejects). */
export type ReferenceModel = (inputs: Float32Array[]) => Promise<number[][]>;

/**
 * The core's model input for an image holding one mark, or undefined when the core finds no ink or
 * refuses the image (a texture of more separate marks than a number can have is not a training sample:
 * the product answers such an image with an error, not a reading).
 */
export function prepareOne(image: PixelImage): Float32Array | undefined {
  try {
    return prepareDigits(image, { single: true }).inputs[0];
  } catch (error) {
    if (error instanceof TooManyMarksError) return undefined;
    throw error;
  }
}

/** Ink on paper as a phone would photograph it: paper and ink levels, uneven light, noise, a little blur. */
export function photographInk(canvas: InkCanvas, random: Random): PixelImage {
  const { width, height, ink } = canvas;
  const paper = uniform(random, 150, 250);
  const inkLevel = uniform(random, 10, Math.max(15, paper - 80));
  const gradientX = uniform(random, -25, 25) / width,
    gradientY = uniform(random, -25, 25) / height;
  const noise = uniform(random, 0, 8);
  const blurred = random() < 0.5 ? boxBlur(ink, width, height) : ink;
  const data = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const light = paper + gradientX * (x - width / 2) + gradientY * (y - height / 2);
      const v = blurred[y * width + x]!;
      data[y * width + x] = Math.round(light - (light - inkLevel) * v + noise * gaussian(random));
    }
  return { width, height, data, channels: 1 };
}

function boxBlur(ink: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(ink.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0,
        n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height) {
            sum += ink[yy * width + xx]!;
            n++;
          }
        }
      out[y * width + x] = sum / n;
    }
  return out;
}

export interface StrokeRenderOptions {
  /** Chance of one of the writing variants (continental 1, barred 7...). */
  variantProbability: number;
  /** Chance of a photo of ink on paper instead of a clean pad export. */
  photoProbability: number;
}

/** One real writer's digit drawn on the pad with a random hand and pen, as a model input. */
export function drawStrokeDigit(
  label: number,
  strokes: UnitStrokes,
  random: Random,
  options: StrokeRenderOptions,
): Float32Array | undefined {
  const shape = random() < options.variantProbability ? writingVariant(label, strokes, random) : strokes;
  const placed = placeStrokes(shape, randomStyle(random));
  const canvas = new InkCanvas(placed.width, placed.height);
  canvas.strokes(placed.strokes);
  return prepareOne(
    random() < options.photoProbability ? photographInk(canvas, random) : inkToImage(canvas.ink, canvas.width, canvas.height),
  );
}

/** A USPS scan (0 paper .. 255 ink, 16x16) as the grey image an upload of it is: dark ink on white. */
export function uspsImage(set: UspsSet, index: number): PixelImage {
  const pixels = set.side * set.side;
  const data = new Uint8ClampedArray(pixels);
  for (let p = 0; p < pixels; p++) data[p] = 255 - set.images[index * pixels + p]!;
  return { width: set.side, height: set.side, data, channels: 1 };
}

export interface MixtureOptions extends StrokeRenderOptions {
  /** MNIST digits per epoch, a different random subset each epoch (all of them when larger than the set). */
  mnistPerEpoch: number;
  /** How many drawings of each training writer's digit per epoch. */
  strokeRenders: number;
  /** How many USPS passes per epoch. */
  uspsRenders: number;
  /** "Not one digit" samples per epoch. */
  rejects: number;
  /** Rejects made from digits that the reference reads as a digit this surely are dropped. */
  lookAlikeThreshold: number;
  augment: boolean;
  seed: number;
}

export const DEFAULT_MIXTURE: MixtureOptions = {
  mnistPerEpoch: 40_000,
  strokeRenders: 3,
  uspsRenders: 1,
  rejects: 9_000,
  lookAlikeThreshold: 0.85,
  variantProbability: 0.3,
  photoProbability: 0.25,
  augment: true,
  seed: 42,
};

export interface MixtureSources {
  mnist: DigitSet;
  strokes: readonly StrokeDigit[];
  usps?: { set: UspsSet; indices: readonly number[] };
}

function digitSource(sources: MixtureSources, unit: readonly UnitStrokes[]): DigitSource {
  return {
    strokeDigit: (random) => unit[Math.floor(random() * unit.length)]!,
    mnistDigit: (random) => {
      const i = Math.floor(random() * sources.mnist.count);
      return sources.mnist.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
    },
  };
}

/** `count` "not one digit" inputs, look-alikes of a digit removed by the reference model. */
export async function makeRejects(
  count: number,
  source: DigitSource,
  random: Random,
  reference: ReferenceModel | undefined,
  threshold: number,
): Promise<{ inputs: Float32Array[]; kinds: Map<RejectKind, number> }> {
  const inputs: Float32Array[] = [];
  const kinds = new Map<RejectKind, number>();
  while (inputs.length < count) {
    const batch: { input: Float32Array; kind: RejectKind }[] = [];
    while (batch.length < Math.min(512, count - inputs.length)) {
      const kind = randomRejectKind(random);
      const canvas = makeReject(kind, source, random);
      const image = random() < 0.2 ? photographInk(canvas, random) : inkToImage(canvas.ink, canvas.width, canvas.height);
      const input = prepareOne(image);
      if (input) batch.push({ input, kind });
    }
    const rows = reference ? await reference(batch.map((b) => b.input)) : [];
    const lookAlike = new Set(batch.filter((_, i) => rows[i] !== undefined && Math.max(...rows[i].slice(0, DIGIT_CLASSES)) >= threshold));
    for (const b of batch) {
      if (lookAlike.has(b) || inputs.length >= count) continue;
      inputs.push(b.input);
      kinds.set(b.kind, (kinds.get(b.kind) ?? 0) + 1);
    }
  }
  return { inputs, kinds };
}

function pack(parts: { inputs: Float32Array[]; label: number | Uint8Array }[], random: Random): LabelledInputs {
  const count = parts.reduce((sum, p) => sum + p.inputs.length, 0);
  const order = permutation(count, random);
  const inputs = new Float32Array(count * DIGIT_PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const part of parts)
    part.inputs.forEach((input, i) => {
      const at = order[n++]!;
      inputs.set(input, at * DIGIT_PIXELS);
      labels[at] = typeof part.label === 'number' ? part.label : part.label[i]!;
    });
  return { inputs, labels, count };
}

/** Builds each epoch's shuffled training samples from every source. */
export class Mixture {
  private readonly unit: UnitStrokes[];
  private readonly source: DigitSource;

  constructor(
    private readonly sources: MixtureSources,
    private readonly options: MixtureOptions = DEFAULT_MIXTURE,
    private readonly reference?: ReferenceModel,
  ) {
    this.unit = sources.strokes.map((s) => toUnitBox(s.strokes));
    this.source = digitSource(sources, this.unit);
  }

  async epoch(epoch: number): Promise<LabelledInputs & { summary: string }> {
    const o = this.options;
    const random = createRandom(o.seed * 1_000_003 + epoch * 7919);
    const augmenter = new Augmenter(o.seed + epoch * 7919);
    const { mnist, strokes, usps } = this.sources;

    const chosen = Array.from(permutation(mnist.count, random).subarray(0, Math.min(mnist.count, o.mnistPerEpoch)));
    const mnistInputs = o.augment
      ? splitRows(augmenter.augmentBatch(mnist.images, chosen), chosen.length)
      : chosen.map((i) => Float32Array.from(mnist.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), (v) => v / 255));
    const mnistLabels = Uint8Array.from(chosen, (i) => mnist.labels[i]!);

    const strokeInputs: Float32Array[] = [];
    const strokeLabels: number[] = [];
    for (let r = 0; r < o.strokeRenders; r++)
      strokes.forEach((s, i) => {
        const input = drawStrokeDigit(s.label, this.unit[i]!, random, o);
        if (!input) return;
        strokeInputs.push(input);
        strokeLabels.push(s.label);
      });

    const uspsInputs: Float32Array[] = [];
    const uspsLabels: number[] = [];
    if (usps)
      for (let r = 0; r < o.uspsRenders; r++)
        for (const i of usps.indices) {
          const input = prepareOne(uspsImage(usps.set, i));
          if (!input) continue;
          const out = new Float32Array(DIGIT_PIXELS);
          if (o.augment) augmenter.augment(input, out);
          else out.set(input);
          uspsInputs.push(out);
          uspsLabels.push(usps.set.labels[i]!);
        }

    const rejects = await makeRejects(o.rejects, this.source, random, this.reference, o.lookAlikeThreshold);
    const packed = pack(
      [
        { inputs: mnistInputs, label: mnistLabels },
        { inputs: strokeInputs, label: Uint8Array.from(strokeLabels) },
        { inputs: uspsInputs, label: Uint8Array.from(uspsLabels) },
        { inputs: rejects.inputs, label: REJECT_CLASS },
      ],
      random,
    );
    const summary = `mnist ${mnistInputs.length}, strokes ${strokeInputs.length}, usps ${uspsInputs.length}, rejects ${rejects.inputs.length} (${[...rejects.kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`;
    return { ...packed, summary };
  }
}

function splitRows(flat: Float32Array, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => flat.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS));
}

/** Fixed held-out sets, drawn once with a fixed seed: what model selection is judged on. */
export interface ValidationSet extends LabelledInputs {
  name: string;
  /** Weight in the selection score. */
  weight: number;
}

export function inputsToSet(name: string, weight: number, inputs: Float32Array[], labels: ArrayLike<number>): ValidationSet {
  const flat = new Float32Array(inputs.length * DIGIT_PIXELS);
  inputs.forEach((input, i) => flat.set(input, i * DIGIT_PIXELS));
  return { name, weight, inputs: flat, labels: Uint8Array.from(labels), count: inputs.length };
}

/** Held-out writers' strokes drawn once each on the pad (no writing variants: real samples only). */
export function strokeValidation(name: string, samples: readonly StrokeDigit[], seed: number): ValidationSet {
  const random = createRandom(seed);
  const inputs: Float32Array[] = [];
  const labels: number[] = [];
  for (const s of samples) {
    const input = drawStrokeDigit(s.label, toUnitBox(s.strokes), random, { variantProbability: 0, photoProbability: 0.25 });
    if (!input) continue;
    inputs.push(input);
    labels.push(s.label);
  }
  return inputsToSet(name, 1, inputs, labels);
}

export function uspsValidation(name: string, set: UspsSet, indices: readonly number[]): ValidationSet {
  const inputs: Float32Array[] = [];
  const labels: number[] = [];
  for (const i of indices) {
    const input = prepareOne(uspsImage(set, i));
    if (!input) continue;
    inputs.push(input);
    labels.push(set.labels[i]!);
  }
  return inputsToSet(name, 1, inputs, labels);
}

export async function rejectValidation(
  count: number,
  sources: MixtureSources,
  seed: number,
  reference: ReferenceModel | undefined,
  threshold = DEFAULT_MIXTURE.lookAlikeThreshold,
): Promise<ValidationSet> {
  const unit = sources.strokes.map((s) => toUnitBox(s.strokes));
  const { inputs } = await makeRejects(count, digitSource(sources, unit), createRandom(seed), reference, threshold);
  return inputsToSet('not one digit', 0.5, inputs, new Uint8Array(inputs.length).fill(REJECT_CLASS));
}
