/** Runs a validated /predict input through the shared recognition core (model/core): decode, core, result. */
import {
  classifyPrepared,
  MAX_DIGITS,
  prepareDigits,
  TooManyDigitsError,
  TooManyMarksError,
  type Box,
  type Classifier,
  type PreparedDigits,
  type RecognitionResult,
} from '../../../model/core/index.js';
import { ApiError } from '../errors.js';
import { decodeUpload } from '../images/decode.js';
import type { PredictInput } from './read-input.js';

export interface InputOptions {
  /** The image shows one digit: read it whole, never split (no effect on JSON pixels). */
  single: boolean;
}

async function prepare(input: PredictInput, { single }: InputOptions): Promise<PreparedDigits> {
  if (input.kind === 'pixels') return input.prepared;
  const { image, scale } = await decodeUpload(input.bytes, input.type);
  try {
    return inFilePixels(prepareDigits(image, { maxDigits: MAX_DIGITS, single }), scale);
  } catch (error) {
    if (error instanceof TooManyDigitsError) {
      throw new ApiError(422, 'too_many_digits', `The image holds ${error.found} digit-like marks; the limit is ${error.limit}.`);
    }
    if (error instanceof TooManyMarksError) {
      throw new ApiError(
        422,
        'too_many_marks',
        `The image holds ${error.found} separate marks (a texture, a page of text?); a number has at most ${error.limit}.`,
      );
    }
    throw error;
  }
}

/** Boxes in the uploaded file's pixels, when it was decoded at a reduced scale. */
function inFilePixels(prepared: PreparedDigits, scale: number): PreparedDigits {
  if (scale === 1) return prepared;
  const box = (b: Box): Box => ({
    x: Math.round(b.x * scale),
    y: Math.round(b.y * scale),
    width: Math.round(b.width * scale),
    height: Math.round(b.height * scale),
  });
  const lattice = prepared.lattice && {
    ...prepared.lattice,
    lineHeight: prepared.lattice.lineHeight * scale,
    separators: prepared.lattice.separators.map((s) => ({ ...s, box: box(s.box) })),
    ...(prepared.lattice.cells ? { cells: prepared.lattice.cells.map((c) => ({ ...c, box: box(c.box) })) } : {}),
  };
  return { ...prepared, boxes: prepared.boxes.map(box), ...(lattice ? { lattice } : {}) };
}

export async function recognizeInput(
  input: PredictInput,
  classifier: Classifier,
  options: InputOptions = { single: false },
): Promise<RecognitionResult> {
  // JSON pixels are read with the options the element read with; images with the defaults.
  return classifyPrepared(await prepare(input, options), classifier, input.kind === 'pixels' ? input.options : {});
}
