/** Runs a validated /predict input through the shared recognition core (model/core): decode, core, result. */
import { classifyPrepared, MAX_DIGITS, prepareDigits, TooManyDigitsError, type Classifier, type PreparedDigits, type RecognitionResult } from '../../../model/core/index.js';
import { ApiError } from '../errors.js';
import { decodeImage } from '../images/decode.js';
import type { PredictInput } from './read-input.js';

export interface InputOptions {
  /** The image shows one digit: read it whole, never split (no effect on JSON pixels). */
  single: boolean;
}

async function prepare(input: PredictInput, { single }: InputOptions): Promise<PreparedDigits> {
  if (input.kind === 'pixels') return input.prepared;
  const image = await decodeImage(input.bytes, input.type);
  try {
    return prepareDigits(image, { maxDigits: MAX_DIGITS, single });
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
