/** The element's events and their typed details. All bubble and cross shadow roots (composed). */
import type { RecognitionResult } from '../../model/core/index.js';
import type { RecognizerErrorCode } from './errors.js';
import type { RecognitionSource } from './engine.js';

/** `digit-recognized`: the recognition core's result, where it was computed and how long it took. */
export interface DigitRecognizedDetail extends RecognitionResult {
  /** `local`: on this device (WebGL); `remote`: by the server at `endpoint`. */
  source: RecognitionSource;
  /** From the start of recognition to the result, in milliseconds (includes loading the model the first time). */
  durationMs: number;
  /** Positions in `digits` that a person corrected (`digit-corrected`); absent until one is. */
  corrected?: number[];
}

/** `digit-error`: what went wrong, with a stable code. */
export interface DigitErrorDetail {
  code: RecognizerErrorCode;
  message: string;
}

/** `digit-clear`: the user cleared the drawing or image. */
export type DigitClearDetail = Record<string, never>;

/** `digit-corrected`: the user chose another reading for one digit, or typed it. */
export interface DigitCorrectedDetail {
  /** The digit's position in `digits` (0 = the first digit). */
  index: number;
  /** The digit before and after. */
  from: number;
  to: number;
  /** The whole result after the correction (also the element's `result`; `value` is its `digits`). */
  result: DigitRecognizedDetail;
}

/** Each event of the element and its detail: what the element's `emit()` accepts and listeners receive. */
export interface DigitRecognizerEventMap {
  'digit-recognized': DigitRecognizedDetail;
  'digit-error': DigitErrorDetail;
  'digit-clear': DigitClearDetail;
  'digit-corrected': DigitCorrectedDetail;
}

export type DigitRecognizedEvent = CustomEvent<DigitRecognizedDetail>;
export type DigitErrorEvent = CustomEvent<DigitErrorDetail>;
export type DigitClearEvent = CustomEvent<DigitClearDetail>;
export type DigitCorrectedEvent = CustomEvent<DigitCorrectedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'digit-recognized': DigitRecognizedEvent;
    'digit-error': DigitErrorEvent;
    'digit-clear': DigitClearEvent;
    'digit-corrected': DigitCorrectedEvent;
  }
}
