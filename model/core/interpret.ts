/**
 * Interpretation, the pipeline's last stage: classifier output and boxes made into the result a
 * person reads: the digits, their confidences, what is uncertain, and the status.
 */
import { CONFIDENCE_THRESHOLD, DIGIT_SIDE } from './constants.js';
import type { Box, DigitSegment, RecognitionResult } from './types.js';

/** Why nothing was read: an empty image, or ink that holds nothing digit-like. */
export type NoDigitReason = 'blank' | 'no-digit-shape';

export interface InterpretOptions {
  /** Segments below this probability are flagged `uncertain` (default CONFIDENCE_THRESHOLD). */
  confidenceThreshold?: number;
}

const NO_DIGIT_MESSAGES: Record<NoDigitReason, string> = {
  blank: 'The image is blank: draw or upload a digit.',
  'no-digit-shape': 'Nothing in the image looks like a digit.',
};

/** Turns classifier output into a result: digits, confidences, the uncertain flag and the status. */
export function interpret(probabilities: number[][], boxes: Box[], options: InterpretOptions = {}, reason: NoDigitReason = 'no-digit-shape'): RecognitionResult {
  if (probabilities.length === 0) {
    return { status: 'no-digit', digits: '', digit: null, confidence: 0, segments: [], message: NO_DIGIT_MESSAGES[reason] };
  }
  const threshold = options.confidenceThreshold ?? CONFIDENCE_THRESHOLD;
  const segments: DigitSegment[] = probabilities.map((row, i) => {
    let digit = 0;
    for (let d = 1; d < row.length; d++) if (row[d]! > row[digit]!) digit = d;
    const confidence = row[digit]!;
    return {
      digit,
      confidence,
      probabilities: row.map((p) => Math.round(p * 1e6) / 1e6),
      box: boxes[i] ?? { x: 0, y: 0, width: DIGIT_SIDE, height: DIGIT_SIDE },
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
