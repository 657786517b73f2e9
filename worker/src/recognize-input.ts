/** Runs a validated /predict input through the shared recognition core (model/). */
import { classifyPrepared, prepareDigits, type PreparedDigits } from '../../model/recognize.js';
import { TooManyDigitsError } from '../../model/segment.js';
import type { Classifier } from '../../model/classifier.js';
import type { RecognitionResult } from '../../model/types.js';
import { ApiError } from './errors.js';
import { decodeImage } from './images/decode.js';
import { MAX_DIGITS } from './limits.js';
import type { PredictInput } from './predict-input.js';

function prepare(input: PredictInput): PreparedDigits {
  if (input.kind === 'pixels') return input.prepared;
  const image = decodeImage(input.bytes);
  try {
    return prepareDigits(image, { maxDigits: MAX_DIGITS });
  } catch (error) {
    if (error instanceof TooManyDigitsError) {
      throw new ApiError(422, 'too_many_digits', `The image holds ${error.found} digit-like marks; the limit is ${error.limit}.`);
    }
    throw error;
  }
}

export function recognizeInput(input: PredictInput, classifier: Classifier): Promise<RecognitionResult> {
  return classifyPrepared(prepare(input), classifier);
}
