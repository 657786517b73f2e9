/**
 * The recognition core's domain types: images in, digits out. The element's `digit-recognized`
 * event carries a RecognitionResult plus where it was computed; the HTTP contract is in api.ts.
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
