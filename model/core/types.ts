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

/** A digit read. */
export interface DigitSegment {
  kind: 'digit';
  /** The most probable digit. */
  digit: number;
  /** Its probability. */
  confidence: number;
  /**
   * The model's probability of each digit 0-9. They sum to 1 less the chance that the mark is not
   * one digit at all (the model's 11th output); `confidence` is the largest.
   */
  probabilities: number[];
  /** Where the digit is in the input image, in its pixels. */
  box: Box;
  /** True when confidence is under the threshold: shown as "not sure", never silently trusted. */
  uncertain: boolean;
  /** Which of the prepared inputs (the candidates sent to the classifier) this digit is. */
  input: number;
}

/** The separators that numbers are written with: never read as digits. */
export type SeparatorChar = '.' | ',' | '-' | '/' | ':';

/** A separator in the number, as written (a thousands dot, a decimal comma, the dash after an amount). */
export interface SeparatorSegment {
  kind: 'separator';
  char: SeparatorChar;
  box: Box;
}

/** An empty box of a form (a comb field with one digit per box): an empty place in the number. */
export interface EmptySegment {
  kind: 'empty';
  box: Box;
}

export type ReadSegment = DigitSegment | SeparatorSegment | EmptySegment;

/**
 * - `ok`: every segment is confident.
 * - `uncertain`: at least one segment is under the confidence threshold.
 * - `no-digit`: the image is blank or nothing in it looks like a digit.
 */
export type RecognitionStatus = 'ok' | 'uncertain' | 'no-digit';

export interface RecognitionResult {
  status: RecognitionStatus;
  /** The digits read left to right, digits only ("19133"); "" when no digit. */
  digits: string;
  /**
   * The number as written, with its separators and spaces ("19.133.-", "12/05/2024", "0172 555");
   * an empty box of a form is a space. Equal to `digits` when there is nothing but digits.
   */
  text: string;
  /** The first (or only) digit, null when no digit. */
  digit: number | null;
  /** The lowest digit confidence (how sure we are of the whole number); 0 when no digit. */
  confidence: number;
  /** What was read, left to right: digits, separators and empty boxes, each saying which it is. */
  segments: ReadSegment[];
  /** Human-readable explanation for `no-digit` and `uncertain`. */
  message?: string;
  /** With an expected number of digits: whether the reading has an allowed count. */
  countFits?: boolean;
}
