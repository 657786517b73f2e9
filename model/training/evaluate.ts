/**
 * Evaluation beyond MNIST: single digits and whole numbers by writers the model never saw, read
 * through the full path (the core's preparation and reader, not only the model on a tensor). Used by
 * `npm run eval` for model/REPORT.md; the tests hold the same sets to their bars.
 */
import {
  classifyPrepared,
  DIGIT_CLASSES,
  prepareStrokes,
  recognize,
  type Classifier,
  type PixelImage,
  type PixelStroke,
  type RecognitionResult,
  type RecognizeOptions,
} from '../core/index.js';
import type { StrokeDigit } from './data/handwriting.js';
import { toUnitBox } from './data/stroke-digits.js';
import { createRandom } from './random.js';
import { composeDigit, DEFAULT_PAD, padExportPlaced } from '../testing/handwritten-numbers.js';
import type { ReadingCase } from '../testing/reading-sets.js';
import { isBarredSeven, isContinentalOne } from '../testing/writing-styles.js';

/** Rows: actual digit; columns: the digit read, then "something else" (no digit, or several). */
export type ConfusionWithOther = number[][];

export interface SingleDigitScore {
  count: number;
  correct: number;
  confusion: ConfusionWithOther;
  /** Continental 1s (a flag or a base) and 7s with a bar: how many, how many read right. */
  continentalOnes: { count: number; correct: number };
  barredSevens: { count: number; correct: number };
}

const emptyConfusion = (): ConfusionWithOther => Array.from({ length: DIGIT_CLASSES }, () => new Array<number>(DIGIT_CLASSES + 1).fill(0));

/** Each held-out writer's digit drawn on the pad (as the element exports it) and read as a number would be. */
export async function scoreStrokeDigits(samples: readonly StrokeDigit[], classifier: Classifier, seed = 5): Promise<SingleDigitScore> {
  const random = createRandom(seed);
  const score: SingleDigitScore = {
    count: 0,
    correct: 0,
    confusion: emptyConfusion(),
    continentalOnes: { count: 0, correct: 0 },
    barredSevens: { count: 0, correct: 0 },
  };
  for (const sample of samples) {
    const strokes = toUnitBox(sample.strokes);
    const result = await readDrawing(padExportPlaced(composeDigit(strokes, random), DEFAULT_PAD.aspect).strokes, classifier);
    const right = result.digits === String(sample.label);
    score.count++;
    if (right) score.correct++;
    score.confusion[sample.label]![result.digits.length === 1 ? Number(result.digits) : DIGIT_CLASSES]!++;
    if (sample.label === 1 && isContinentalOne(strokes)) tally(score.continentalOnes, right);
    if (sample.label === 7 && isBarredSeven(strokes)) tally(score.barredSevens, right);
  }
  return score;
}

/** A drawing read as the element reads it: from its strokes. */
export function readDrawing(strokes: readonly PixelStroke[], classifier: Classifier): Promise<RecognitionResult> {
  return classifyPrepared(prepareStrokes(strokes), classifier);
}

/** A case read the way the product reads it: a drawing from its strokes, an image from its pixels. */
export function readCase(c: { image: PixelImage; strokes?: readonly PixelStroke[] }, classifier: Classifier): Promise<RecognitionResult> {
  return c.strokes ? readDrawing(c.strokes, classifier) : recognize(c.image, classifier);
}

function tally(counter: { count: number; correct: number }, right: boolean): void {
  counter.count++;
  if (right) counter.correct++;
}

/** Single digits given as images (USPS scans, photos), read through the full path. */
export async function scoreDigitImages(
  cases: readonly ReadingCase[],
  classifier: Classifier,
  options: RecognizeOptions = {},
): Promise<{ count: number; correct: number; confusion: ConfusionWithOther }> {
  const confusion = emptyConfusion();
  let correct = 0;
  for (const c of cases) {
    const result = await recognize(c.image, classifier, options);
    if (result.digits === c.digits) correct++;
    confusion[Number(c.digits)]![result.digits.length === 1 ? Number(result.digits) : DIGIT_CLASSES]!++;
  }
  return { count: cases.length, correct, confusion };
}

export interface NumberScore {
  count: number;
  /** Digits read exactly. */
  digits: number;
  /** Text (separators, spaces, empty boxes) read exactly. */
  text: number;
  /** Median milliseconds per number, full path in Node. */
  medianMs: number;
  misses: string[];
}

export async function scoreNumbers(cases: readonly ReadingCase[], classifier: Classifier, keepMisses = 8): Promise<NumberScore> {
  const times: number[] = [];
  const score: NumberScore = { count: cases.length, digits: 0, text: 0, medianMs: 0, misses: [] };
  for (const c of cases) {
    const started = performance.now();
    const result = await readCase(c, classifier);
    times.push(performance.now() - started);
    if (result.digits === c.digits) score.digits++;
    else if (score.misses.length < keepMisses) score.misses.push(`${c.text} -> ${result.text || '(nothing)'}`);
    if (result.text === c.text) score.text++;
  }
  times.sort((a, b) => a - b);
  score.medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return score;
}
