/**
 * Types shared by the recognition core, the worker's HTTP API and the element.
 * The JSON of `POST /predict` is `PredictResponse`; the element's `digit-recognized` event carries
 * the same shape plus where it was computed.
 */

/** An image as pixels: RGBA (like ImageData) or one grey channel, row-major, 0-255. */
export interface PixelImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
  /** 4 = RGBA (alpha composited over white), 1 = grey (0 black .. 255 white). */
  readonly channels: 1 | 4;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DigitSegment {
  /** The most probable digit. */
  digit: number;
  /** Its probability. */
  confidence: number;
  /** Softmax over 0-9. */
  probabilities: number[];
  /** Where the digit is in the input image, in its pixels. */
  box: Box;
  /** True when confidence is under the threshold: shown as "not sure", never silently trusted. */
  uncertain: boolean;
}

/**
 * - `ok`: every segment is confident.
 * - `uncertain`: at least one segment is under the confidence threshold.
 * - `no-digit`: the image is blank or nothing in it looks like a digit.
 */
export type RecognitionStatus = 'ok' | 'uncertain' | 'no-digit';

export interface RecognitionResult {
  status: RecognitionStatus;
  /** The digits read left to right ("4096"); "" when no digit. */
  digits: string;
  /** The first (or only) digit, null when no digit. */
  digit: number | null;
  /** The lowest segment confidence (how sure we are of the whole number); 0 when no digit. */
  confidence: number;
  segments: DigitSegment[];
  /** Human-readable explanation for `no-digit` and `uncertain`. */
  message?: string;
}

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

/** The JSON request body the element sends when it falls back: preprocessed 28x28 digits. */
export interface PixelsRequest {
  /** One digit (784 numbers in 0..1, white ink on black) or several, left to right. */
  pixels: number[] | number[][];
  /** Optional boxes of those digits in the original image, echoed back in the segments. */
  boxes?: Box[];
}
