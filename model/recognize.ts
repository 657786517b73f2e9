/**
 * The recognition API used by the worker and the element:
 *   recognize(image, classifier) -> { status, digits: "4096", digit, confidence, segments }
 * Preparation (pixels -> 28x28 digits) and classification are separate steps so the element can
 * prepare locally and classify remotely, with identical preprocessing on both sides.
 */
import type { Classifier } from './classifier.js';
import { toInkMap, type InkOptions } from './preprocess.js';
import { segmentDigits, type SegmentOptions } from './segment.js';
import type { Box, DigitSegment, PixelImage, RecognitionResult } from './types.js';

export interface RecognizeOptions extends InkOptions, SegmentOptions {
  /** Segments below this probability are flagged `uncertain` (default 0.7). */
  confidenceThreshold?: number;
}

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

/** The digits found in an image, ready for a classifier. */
export interface PreparedDigits {
  /** 784 values in [0,1] per digit (what the model sees), left to right. */
  inputs: Float32Array[];
  /** Each digit's box in the input image's pixels. */
  boxes: Box[];
  /** Why nothing was found, when `inputs` is empty. */
  reason?: 'blank' | 'no-digit-shape';
}

/** Preprocesses and segments an image into model inputs. Throws TooManyDigitsError past the limit. */
export function prepareDigits(image: PixelImage, options: RecognizeOptions = {}): PreparedDigits {
  if (image.width <= 0 || image.height <= 0) return { inputs: [], boxes: [], reason: 'blank' };
  const map = toInkMap(image, options);
  if (map.blank) return { inputs: [], boxes: [], reason: 'blank' };
  const segments = segmentDigits(map, options);
  if (segments.length === 0) return { inputs: [], boxes: [], reason: 'no-digit-shape' };
  const toImage = 1 / map.scale;
  return {
    inputs: segments.map((s) => s.pixels),
    boxes: segments.map(({ box }) => ({
      x: Math.round(box.x * toImage),
      y: Math.round(box.y * toImage),
      width: Math.max(1, Math.round(box.width * toImage)),
      height: Math.max(1, Math.round(box.height * toImage)),
    })),
  };
}

const NO_DIGIT_MESSAGES = {
  blank: 'The image is blank: draw or upload a digit.',
  'no-digit-shape': 'Nothing in the image looks like a digit.',
} as const;

/** Turns classifier output into a result: digits, confidences, the uncertain flag and the status. */
export function interpret(probabilities: number[][], boxes: Box[], options: Pick<RecognizeOptions, 'confidenceThreshold'> = {}, reason: PreparedDigits['reason'] = 'no-digit-shape'): RecognitionResult {
  if (probabilities.length === 0) {
    return { status: 'no-digit', digits: '', digit: null, confidence: 0, segments: [], message: NO_DIGIT_MESSAGES[reason] };
  }
  const threshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const segments: DigitSegment[] = probabilities.map((row, i) => {
    let digit = 0;
    for (let d = 1; d < row.length; d++) if (row[d]! > row[digit]!) digit = d;
    const confidence = row[digit]!;
    return {
      digit,
      confidence,
      probabilities: row.map((p) => Math.round(p * 1e6) / 1e6),
      box: boxes[i] ?? { x: 0, y: 0, width: 28, height: 28 },
      uncertain: confidence < threshold,
    };
  });
  const uncertain = segments.filter((s) => s.uncertain).length;
  return {
    status: uncertain > 0 ? 'uncertain' : 'ok',
    digits: segments.map((s) => s.digit).join(''),
    digit: segments[0]!.digit,
    confidence: Math.min(...segments.map((s) => s.confidence)),
    segments,
    ...(uncertain > 0 ? { message: `Not sure about ${uncertain === 1 ? 'one digit' : `${uncertain} digits`}: check the highlighted ${uncertain === 1 ? 'one' : 'ones'}.` } : {}),
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
