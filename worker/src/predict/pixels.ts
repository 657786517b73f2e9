/**
 * Validation of the JSON pixels body `{ "pixels": [...DIGIT_PIXELS numbers in 0..1], "boxes"?: [...] }`:
 * the already preprocessed 28x28 digits the element sends when it falls back to the server.
 */
import { DIGIT_PIXELS, MAX_DIGITS, type Box, type PreparedDigits } from '../../../model/core/index.js';
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
function toBox(value: unknown, i: number): Box {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`boxes[${i}] is ${quote(value)}; it must be an object with numbers x, y, width and height.`);
  }
  const fields = value as Record<string, unknown>;
  const box = { x: 0, y: 0, width: 0, height: 0 };
  for (const field of ['x', 'y', 'width', 'height'] as const) {
    const v = fields[field];
    // Within the largest picture the API reads; a box has at least one pixel.
    const least = field === 'width' || field === 'height' ? 1 : 0;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < least || v > MAX_IMAGE_SIDE) {
      throw invalid(`boxes[${i}].${field} is ${quote(v)}; it must be a number from ${least} to ${MAX_IMAGE_SIDE} (pixels).`);
    }
    box[field] = v;
  }
  return box;
}

/** One digit (DIGIT_PIXELS numbers) or a list of up to MAX_DIGITS digits, left to right, with optional boxes. */
export function parsePixels(pixels: unknown, boxes: unknown): PreparedDigits {
  if (!Array.isArray(pixels) || pixels.length === 0) {
    throw invalid(`"pixels" must be ${DIGIT_PIXELS} numbers from 0 to 1, or a list of up to ${MAX_DIGITS} such lists.`);
  }
  const several = Array.isArray(pixels[0]);
  if (several && pixels.length > MAX_DIGITS) {
    throw new ApiError(422, 'too_many_digits', `"pixels" holds ${pixels.length} digits; the limit is ${MAX_DIGITS} per request.`);
  }
  const inputs = several ? pixels.map((digit, i) => toDigit(digit, `pixels[${i}]`)) : [toDigit(pixels, 'pixels')];
  if (boxes === undefined) return { inputs, boxes: [] };
  if (!Array.isArray(boxes) || boxes.length !== inputs.length) {
    throw invalid(`"boxes" must be a list with one box per digit (${inputs.length}).`);
  }
  return { inputs, boxes: boxes.map(toBox) };
}
