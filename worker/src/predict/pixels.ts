/**
 * Validation of the JSON pixels body (PixelsRequest): `{ "pixels": [...], "boxes"?, "lattice"?, "options"? }`.
 * Without a lattice, the already preprocessed 28x28 digits, one per entry. With one, the candidates
 * the element prepared and how they fit together, so the server reads them as the element would.
 * Everything is bounded by the core's limits before anything is computed.
 */
import {
  DIGIT_PIXELS,
  MAX_CANDIDATES,
  MAX_DIGITS,
  MAX_MARKS,
  MAX_PIECES_PER_DIGIT,
  type Box,
  type InterpretOptions,
  type Lattice,
  type PreparedDigits,
  type SeparatorChar,
} from '../../../model/core/index.js';
import { ApiError, quote } from '../errors.js';
import { MAX_IMAGE_SIDE } from '../limits.js';

const invalid = (message: string) => new ApiError(400, 'invalid_pixels', message);

function toDigit(values: unknown, label: string): Float32Array {
  if (!Array.isArray(values)) throw invalid(`${label} must be an array of ${DIGIT_PIXELS} numbers.`);
  if (values.length !== DIGIT_PIXELS) throw invalid(`${label} has ${values.length} values; a digit has ${DIGIT_PIXELS}.`);
  const digit = new Float32Array(DIGIT_PIXELS);
  for (let i = 0; i < DIGIT_PIXELS; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      throw invalid(`${label}[${i}] is ${quote(v)}; every value must be a number from 0 to 1 (white ink on black).`);
    }
    digit[i] = v;
  }
  return digit;
}

/** A box where a digit was found, in the pixels of the picture it came from: echoed back in the result. */
function toBox(value: unknown, i: number, list = 'boxes'): Box {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${list}[${i}] is ${quote(value)}; it must be an object with numbers x, y, width and height.`);
  }
  const fields = value as Record<string, unknown>;
  const box = { x: 0, y: 0, width: 0, height: 0 };
  for (const field of ['x', 'y', 'width', 'height'] as const) {
    const v = fields[field];
    // Within the largest picture the API reads; a box has at least one pixel.
    const least = field === 'width' || field === 'height' ? 1 : 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < least || v > MAX_IMAGE_SIDE) {
      throw invalid(`${list}[${i}].${field} is ${quote(v)}; it must be a number from ${least} to ${MAX_IMAGE_SIDE} (pixels).`);
    }
    box[field] = v;
  }
  return box;
}

const invalidLattice = (message: string) => new ApiError(400, 'invalid_lattice', message);

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const SEPARATORS: readonly SeparatorChar[] = ['.', ',', '-', '/', ':'];

/** The lattice of a request's candidates: every index within range, every list within the core's limits. */
function toLattice(value: unknown, inputs: number): Lattice {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidLattice(`"lattice" is ${quote(value)}; it must be an object (see the API docs).`);
  const { pieces, spans, cuts, separators, cells, lineHeight } = value as Record<string, unknown>;
  const maxPieces = MAX_PIECES_PER_DIGIT * MAX_DIGITS;
  if (!isCount(pieces, maxPieces) || pieces < 1)
    throw invalidLattice(`lattice.pieces is ${quote(pieces)}; it must be a whole number from 1 to ${maxPieces}.`);
  if (!Array.isArray(spans) || spans.length !== inputs)
    throw invalidLattice(`lattice.spans must list one [from, to] per entry of "pixels" (${inputs}).`);
  const checkedSpans = spans.map((span: unknown, i): [number, number] => {
    if (!Array.isArray(span) || span.length !== 2 || !isCount(span[0], pieces) || !isCount(span[1], pieces) || span[0] >= span[1]) {
      throw invalidLattice(`lattice.spans[${i}] is ${quote(span)}; it must be [from, to] with 0 <= from < to <= pieces (${pieces}).`);
    }
    return [span[0], span[1]];
  });
  if (!Array.isArray(separators) || separators.length > MAX_MARKS)
    throw invalidLattice(`lattice.separators must be a list of at most ${MAX_MARKS}.`);
  const checkedSeparators = separators.map((s: unknown, i) => {
    const { char, box } = (s ?? {}) as Record<string, unknown>;
    if (!SEPARATORS.includes(char as SeparatorChar))
      throw invalidLattice(`lattice.separators[${i}].char is ${quote(char)}; it must be one of ${SEPARATORS.join(' ')}.`);
    return { char: char as SeparatorChar, box: toBox(box, i, 'lattice.separators') };
  });
  if (typeof lineHeight !== 'number' || !Number.isFinite(lineHeight) || lineHeight < 0 || lineHeight > MAX_IMAGE_SIDE) {
    throw invalidLattice(`lattice.lineHeight is ${quote(lineHeight)}; it must be a number from 0 to ${MAX_IMAGE_SIDE} (pixels).`);
  }
  const lattice: Lattice = { pieces, spans: checkedSpans, separators: checkedSeparators, lineHeight };
  if (cuts !== undefined) {
    if (!Array.isArray(cuts) || cuts.length >= pieces || !cuts.every((c) => isCount(c, pieces - 2))) {
      throw invalidLattice(
        `lattice.cuts is ${quote(cuts)}; it must list boundaries between pieces, each a whole number from 0 to ${Math.max(0, pieces - 2)}.`,
      );
    }
    lattice.cuts = cuts;
  }
  if (cells !== undefined) {
    if (!Array.isArray(cells) || cells.length === 0 || cells.length > MAX_DIGITS)
      throw invalidLattice(`lattice.cells must be a list of 1 to ${MAX_DIGITS} boxes.`);
    const used = new Set<number>();
    lattice.cells = cells.map((cell: unknown, i) => {
      const { box, input } = (cell ?? {}) as Record<string, unknown>;
      if (input !== null && (!isCount(input, inputs - 1) || used.has(input))) {
        throw invalidLattice(
          `lattice.cells[${i}].input is ${quote(input)}; it must be null (an empty box) or the index of a different entry of "pixels".`,
        );
      }
      if (input !== null) used.add(input);
      return { box: toBox(box, i, 'lattice.cells'), input };
    });
  }
  return lattice;
}

/** How the server should read: the same options the element read with. */
export type ReadingOptions = Pick<InterpretOptions, 'confidenceThreshold' | 'minDigits' | 'maxDigits'>;

function toOptions(value: unknown): ReadingOptions {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`"options" is ${quote(value)}; it must be an object.`);
  const { confidenceThreshold, minDigits, maxDigits } = value as Record<string, unknown>;
  const options: ReadingOptions = {};
  if (confidenceThreshold !== undefined) {
    if (
      typeof confidenceThreshold !== 'number' ||
      !Number.isFinite(confidenceThreshold) ||
      confidenceThreshold < 0 ||
      confidenceThreshold > 1
    ) {
      throw invalid(`options.confidenceThreshold is ${quote(confidenceThreshold)}; it must be a number from 0 to 1.`);
    }
    options.confidenceThreshold = confidenceThreshold;
  }
  for (const [name, v] of [
    ['minDigits', minDigits],
    ['maxDigits', maxDigits],
  ] as const) {
    if (v === undefined) continue;
    if (!isCount(v, MAX_DIGITS)) throw invalid(`options.${name} is ${quote(v)}; it must be a whole number from 0 to ${MAX_DIGITS}.`);
    options[name] = v;
  }
  if (options.minDigits !== undefined && options.maxDigits !== undefined && options.minDigits > options.maxDigits) {
    throw invalid(`options.minDigits (${options.minDigits}) is more than options.maxDigits (${options.maxDigits}).`);
  }
  return options;
}

/**
 * One digit (DIGIT_PIXELS numbers) or a list of inputs with optional boxes: up to MAX_DIGITS digits,
 * or with a lattice up to MAX_CANDIDATES candidates.
 */
export function parsePixels(
  pixels: unknown,
  boxes: unknown,
  lattice?: unknown,
  options?: unknown,
): { prepared: PreparedDigits; options: ReadingOptions } {
  if (!Array.isArray(pixels) || pixels.length === 0) {
    throw invalid(`"pixels" must be ${DIGIT_PIXELS} numbers from 0 to 1, or a list of such lists.`);
  }
  const several = Array.isArray(pixels[0]);
  const limit = lattice === undefined ? MAX_DIGITS : MAX_CANDIDATES;
  if (several && pixels.length > limit) {
    throw new ApiError(
      422,
      lattice === undefined ? 'too_many_digits' : 'too_many_marks',
      `"pixels" holds ${pixels.length} ${lattice === undefined ? 'digits' : 'candidates'}; the limit is ${limit} per request.`,
    );
  }
  const inputs = several ? pixels.map((digit, i) => toDigit(digit, `pixels[${i}]`)) : [toDigit(pixels, 'pixels')];
  const reading = toOptions(options);
  const prepared: PreparedDigits = { inputs, boxes: [] };
  if (boxes !== undefined) {
    if (!Array.isArray(boxes) || boxes.length !== inputs.length)
      throw invalid(`"boxes" must be a list with one box per entry of "pixels" (${inputs.length}).`);
    prepared.boxes = boxes.map((box, i) => toBox(box, i));
  }
  if (lattice !== undefined) prepared.lattice = toLattice(lattice, inputs.length);
  return { prepared, options: reading };
}
