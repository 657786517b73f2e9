/**
 * The HTTP contract of `POST /predict`, shared by the worker that answers it and the element that
 * calls it. The body of a successful answer is `PredictResponse`; every error is `ErrorResponse`.
 */
import type { InterpretOptions, Lattice } from './interpret.js';
import type { Box, RecognitionResult } from './types.js';

export interface ModelInfo {
  name: string;
  version: string;
}

/** The body of a successful `POST /predict`. */
export interface PredictResponse extends RecognitionResult {
  model: ModelInfo;
}

/** The body of every error answer of the API. */
export interface ErrorResponse {
  error: { code: string; message: string };
}

/**
 * The JSON request body the element sends when it falls back: its prepared candidates
 * (DIGIT_PIXELS values each) and how they fit together, so the server reads exactly as the device
 * would. Without `lattice`, every entry of `pixels` is one digit, left to right.
 */
export interface PixelsRequest {
  /** One digit (DIGIT_PIXELS numbers in 0..1, white ink on black) or several. */
  pixels: number[] | number[][];
  /** Optional boxes of those inputs in the original image, echoed back in the segments. */
  boxes?: Box[];
  /** The candidates' lattice (prepareDigits): which pieces each covers, separators, a form's boxes. */
  lattice?: Lattice;
  /** How to read: the "not sure" threshold, an expected number of digits. */
  options?: Pick<InterpretOptions, 'confidenceThreshold' | 'minDigits' | 'maxDigits'>;
}
