/** Runs a validated /predict input through the shared recognition core (model/). */
import { classifyPrepared, prepareDigits, type PreparedDigits } from '../../model/recognize.js';
import { TooManyDigitsError } from '../../model/segment.js';
import type { Classifier } from '../../model/classifier.js';
import type { RecognitionResult } from '../../model/types.js';
import { ApiError } from './errors.js';
import { decodeImage } from './images/decode.js';
import { shrink } from './images/shrink.js';
import { MAX_DIGITS } from './limits.js';
import type { PredictInput } from './predict-input.js';

export interface InputOptions {
  /** The image shows one digit: read it whole, never split (no effect on JSON pixels). */
  single: boolean;
}

async function prepare(input: PredictInput, { single }: InputOptions): Promise<PreparedDigits> {
  if (input.kind === 'pixels') return input.prepared;
  const { image, factor } = shrink(await decodeImage(input.bytes));
  try {
    const prepared = prepareDigits(image, { maxDigits: MAX_DIGITS, single });
    if (factor === 1) return prepared;
    // Boxes in the uploaded image's pixels, as the core reports them when it downscales itself.
    const boxes = prepared.boxes.map((box) => ({
      x: Math.round(box.x * factor),
      y: Math.round(box.y * factor),
      width: Math.max(1, Math.round(box.width * factor)),
      height: Math.max(1, Math.round(box.height * factor)),
    }));
    return { ...prepared, boxes };
  } catch (error) {
    if (error instanceof TooManyDigitsError) {
      throw new ApiError(422, 'too_many_digits', `The image holds ${error.found} digit-like marks; the limit is ${error.limit}.`);
    }
    throw error;
  }
}

export async function recognizeInput(input: PredictInput, classifier: Classifier, options: InputOptions = { single: false }): Promise<RecognitionResult> {
  return classifyPrepared(await prepare(input, options), classifier);
}
