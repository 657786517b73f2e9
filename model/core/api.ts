/**
 * The HTTP contract of `POST /predict`, shared by the worker that answers it and the element that
 * calls it. The body of a successful answer is `PredictResponse`; every error is `ErrorResponse`.
 */
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

/** The JSON request body the element sends when it falls back: preprocessed digits (DIGIT_PIXELS values each). */
export interface PixelsRequest {
  /** One digit (DIGIT_PIXELS numbers in 0..1, white ink on black) or several, left to right. */
  pixels: number[] | number[][];
  /** Optional boxes of those digits in the original image, echoed back in the segments. */
  boxes?: Box[];
}
