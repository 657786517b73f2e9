/**
 * The recognition pipeline, stage after stage, each in its own file:
 *   ink map (ink-map.ts) -> segmentation into pieces and candidates (segment.ts) -> normalisation
 *   (normalize.ts) -> classification (classifier.ts) -> interpretation (interpret.ts, decode.ts)
 * recognize(image, classifier) -> { status, digits: "19133", text: "19.133.-", segments, ... }.
 * Preparation (pixels -> candidates and their lattice) and classification are separate steps, so
 * the element can prepare on the device and classify on the server, and both read the same way.
 */
import type { Classifier } from './classifier.js';
import { WORKING_SIZE } from './constants.js';
import { toInkMap, type InkMap, type InkOptions } from './ink-map.js';
import { interpret, interpretLattice, type InterpretOptions, type Lattice, type NoDigitReason } from './interpret.js';
import { normalizeDigit } from './normalize.js';
import { inkRegion, ownership, segment, type SegmentOptions } from './segment.js';
import type { Box, PixelImage, RecognitionResult } from './types.js';

export interface RecognizeOptions extends InkOptions, SegmentOptions, InterpretOptions {}

/** The candidates found in an image, ready for a classifier. */
export interface PreparedDigits {
  /** DIGIT_PIXELS values in [0,1] per candidate (what the model sees). */
  inputs: Float32Array[];
  /** Each candidate's box in the input image's pixels. */
  boxes: Box[];
  /** How the candidates fit together; absent when every input is one digit (pixels sent by a client). */
  lattice?: Lattice;
  /** Why nothing was found, when `inputs` is empty. */
  reason?: NoDigitReason;
}

const nothing = (reason: NoDigitReason): PreparedDigits => ({ inputs: [], boxes: [], reason });

/** A copy of a region of an image (clipped to it). */
function crop(image: PixelImage, box: Box): PixelImage {
  const x0 = Math.max(0, Math.floor(box.x)),
    y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width)),
    y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  const width = x1 - x0,
    height = y1 - y0,
    c = image.channels;
  const data = new Uint8ClampedArray(width * height * c);
  for (let y = 0; y < height; y++)
    data.set(image.data.subarray(((y0 + y) * image.width + x0) * c, ((y0 + y) * image.width + x1) * c), y * width * c);
  return { width, height, data, channels: c };
}

/**
 * The ink map to read from: the whole image at the working size, or, when the ink is a small part of
 * a large image (a number written small on a full-resolution phone photo), the region holding it,
 * cut from the full image at a resolution where its strokes are a few pixels wide.
 */
function mapToRead(
  image: PixelImage,
  options: RecognizeOptions,
): { map: InkMap & { scale: number; blank: boolean }; offset: { x: number; y: number } } | undefined {
  const whole = toInkMap(image, options);
  if (whole.blank) return undefined;
  const side = options.maxSide ?? WORKING_SIZE;
  const toImage = 1 / whole.scale;
  // Only an image with far more pixels than the working map can hold a number too small to read there.
  const region = options.single || toImage < 1.5 ? undefined : inkRegion(whole, options);
  if (!region || Math.max(region.width, region.height) > 0.45 * side) return { map: whole, offset: { x: 0, y: 0 } };
  // Room around the ink: a digit's height, so nothing at its edges is cut off.
  const margin = Math.max(region.width, region.height) * 0.35 + 4;
  const box = {
    x: (region.x - margin) * toImage,
    y: (region.y - margin) * toImage,
    width: (region.width + 2 * margin) * toImage,
    height: (region.height + 2 * margin) * toImage,
  };
  const part = crop(image, box);
  const map = toInkMap(part, options);
  if (map.blank) return { map: whole, offset: { x: 0, y: 0 } };
  return { map, offset: { x: Math.max(0, Math.floor(box.x)), y: Math.max(0, Math.floor(box.y)) } };
}

/**
 * Preprocesses and segments an image into candidate digits and their lattice. Throws
 * TooManyDigitsError or TooManyMarksError past the limits.
 */
export function prepareDigits(image: PixelImage, options: RecognizeOptions = {}): PreparedDigits {
  if (image.width <= 0 || image.height <= 0) return nothing('blank');
  const read = mapToRead(image, options);
  if (!read) return nothing('blank');
  const { map, offset } = read;
  const segmentation = segment(map, options);
  if (!segmentation || segmentation.spans.length === 0) return nothing('no-digit-shape');
  // Boxes go back to the input image's pixels: the one place that maps working size to input size.
  const toImage = 1 / map.scale;
  const toImageBox = (box: Box): Box => ({
    x: Math.round(offset.x + box.x * toImage),
    y: Math.round(offset.y + box.y * toImage),
    width: Math.max(1, Math.round(box.width * toImage)),
    height: Math.max(1, Math.round(box.height * toImage)),
  });
  const inputs: Float32Array[] = [];
  const boxes: Box[] = [];
  for (const [from, to] of segmentation.spans) {
    const { box, owns } = ownership(segmentation, from, to, map.width, map.height);
    inputs.push(normalizeDigit(map, box, owns));
    boxes.push(toImageBox(box));
  }
  const lattice: Lattice = {
    pieces: segmentation.pieces.length,
    spans: segmentation.spans.map(([from, to]) => [from, to]),
    cuts: cutsOf(segmentation.pieces),
    separators: segmentation.separators.map((s) => ({ char: s.char, box: toImageBox(s.box) })),
    lineHeight: segmentation.lineHeight * toImage,
  };
  if (segmentation.cells) {
    let next = 0;
    lattice.cells = segmentation.cells.map((cell) => ({
      box: toImageBox(cell.box),
      input: cell.pieces[1] > cell.pieces[0] ? next++ : null,
    }));
  }
  return { inputs, boxes, lattice };
}

/** Boundaries between consecutive pieces of one connected mark: where the segmentation cut ink. */
function cutsOf(pieces: readonly { mark: number }[]): number[] {
  const cuts: number[] = [];
  for (let i = 0; i + 1 < pieces.length; i++) if (pieces[i]!.mark === pieces[i + 1]!.mark) cuts.push(i);
  return cuts;
}

/** Reads classifier output for prepared candidates. */
export function readPrepared(prepared: PreparedDigits, probabilities: number[][], options: InterpretOptions = {}): RecognitionResult {
  if (prepared.inputs.length === 0) return interpret([], [], options, prepared.reason);
  return prepared.lattice
    ? interpretLattice(prepared.lattice, probabilities, prepared.boxes, options, prepared.reason)
    : interpret(probabilities, prepared.boxes, options, prepared.reason);
}

/** Classifies prepared candidates (in one batch) and reads them. */
export async function classifyPrepared(
  prepared: PreparedDigits,
  classifier: Classifier,
  options: RecognizeOptions = {},
): Promise<RecognitionResult> {
  const probabilities = await classifier.predict(prepared.inputs);
  return readPrepared(prepared, probabilities, options);
}

/** The whole path: pixels in, digits out. */
export async function recognize(
  image: PixelImage,
  classifier: Classifier,
  options: RecognizeOptions = {},
): Promise<RecognitionResult & { inputs: Float32Array[] }> {
  const prepared = prepareDigits(image, options);
  const result = await classifyPrepared(prepared, classifier, options);
  return { ...result, inputs: prepared.inputs };
}
