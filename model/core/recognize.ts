/**
 * The recognition pipeline, stage after stage, each in its own file:
 *   ink map (ink-map.ts) -> segmentation (segment.ts) -> normalisation (normalize.ts)
 *   -> classification (classifier.ts) -> interpretation (interpret.ts)
 * recognize(image, classifier) -> { status, digits: "4096", digit, confidence, segments }.
 * Preparation (pixels -> model inputs) and classification are separate steps so the element can
 * prepare locally and classify remotely, with identical preprocessing on both sides.
 */
import type { Classifier } from './classifier.js';
import { toInkMap, type InkOptions } from './ink-map.js';
import { interpret, type InterpretOptions, type NoDigitReason } from './interpret.js';
import { normalizeDigit } from './normalize.js';
import { segmentDigits, type SegmentOptions } from './segment.js';
import type { Box, PixelImage, RecognitionResult } from './types.js';

export interface RecognizeOptions extends InkOptions, SegmentOptions, InterpretOptions {}

/** The digits found in an image, ready for a classifier. */
export interface PreparedDigits {
  /** DIGIT_PIXELS values in [0,1] per digit (what the model sees), left to right. */
  inputs: Float32Array[];
  /** Each digit's box in the input image's pixels. */
  boxes: Box[];
  /** Why nothing was found, when `inputs` is empty. */
  reason?: NoDigitReason;
}

/** Preprocesses and segments an image into model inputs. Throws TooManyDigitsError past the limit. */
export function prepareDigits(image: PixelImage, options: RecognizeOptions = {}): PreparedDigits {
  if (image.width <= 0 || image.height <= 0) return { inputs: [], boxes: [], reason: 'blank' };
  const map = toInkMap(image, options);
  if (map.blank) return { inputs: [], boxes: [], reason: 'blank' };
  const segments = segmentDigits(map, options);
  if (segments.length === 0) return { inputs: [], boxes: [], reason: 'no-digit-shape' };
  // Boxes go back to the input image's pixels: the one place that maps working size to input size.
  const toImage = 1 / map.scale;
  return {
    inputs: segments.map(({ box, owns }) => normalizeDigit(map, box, owns)),
    boxes: segments.map(({ box }) => ({
      x: Math.round(box.x * toImage),
      y: Math.round(box.y * toImage),
      width: Math.max(1, Math.round(box.width * toImage)),
      height: Math.max(1, Math.round(box.height * toImage)),
    })),
  };
}

/** Classifies prepared digits. */
export async function classifyPrepared(prepared: PreparedDigits, classifier: Classifier, options: RecognizeOptions = {}): Promise<RecognitionResult> {
  const probabilities = await classifier.predict(prepared.inputs);
  return interpret(probabilities, prepared.boxes, options, prepared.reason);
}

/** The whole path: pixels in, digits out. */
export async function recognize(image: PixelImage, classifier: Classifier, options: RecognizeOptions = {}): Promise<RecognitionResult & { inputs: Float32Array[] }> {
  const prepared = prepareDigits(image, options);
  const result = await classifyPrepared(prepared, classifier, options);
  return { ...result, inputs: prepared.inputs };
}
