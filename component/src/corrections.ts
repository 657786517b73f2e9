/**
 * Corrections: a person picks another reading for one digit, or types it. The model's other
 * candidates come from its probabilities; the corrected result is the old one with that digit
 * changed and the summary (digits, text, status, confidence, message) made to agree with it.
 */
import { digitSegments, type DigitSegment, type ReadSegment } from '../../model/core/index.js';
import type { DigitRecognizedDetail } from './events.js';

export interface Alternative {
  digit: number;
  probability: number;
}

/** Shown at least this many alternatives, and at most MAX_ALTERNATIVES: the rest are typed. */
const MIN_ALTERNATIVES = 3;
const MAX_ALTERNATIVES = 6;
/** Less probable than this is no alternative worth a button (unless needed to reach MIN_ALTERNATIVES). */
const WORTH_SHOWING = 0.005;

/** The digits the model considered, most probable first, with their probabilities. */
export function alternativesOf(segment: Pick<DigitSegment, 'probabilities'>): Alternative[] {
  const all = segment.probabilities
    .map((probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability || a.digit - b.digit);
  const worth = all.filter((a, i) => i < MIN_ALTERNATIVES || a.probability >= WORTH_SHOWING);
  return worth.slice(0, MAX_ALTERNATIVES);
}

/** One character of the number as written: a read digit (its segment and its position among the digits), a separator, an empty box, or a wide gap. */
export type TextPart =
  { kind: 'digit'; segment: DigitSegment; index: number } | { kind: 'separator'; char: string } | { kind: 'empty' } | { kind: 'gap' };

/**
 * The number as written (`text`), character by character, each tied to its segment: the text is
 * the segments in order, with a space for an empty box and a space for a wide gap between digits.
 */
export function textParts(detail: Pick<DigitRecognizedDetail, 'text' | 'segments'>): TextPart[] {
  const parts: TextPart[] = [];
  let s = 0,
    index = 0;
  for (const char of detail.text) {
    const segment = detail.segments[s];
    // A space is an empty box when that is what comes next; otherwise a wide gap between digits.
    if (!segment || (char === ' ' && segment.kind !== 'empty')) {
      parts.push({ kind: 'gap' });
      continue;
    }
    s++;
    if (segment.kind === 'digit') parts.push({ kind: 'digit', segment, index: index++ });
    else if (segment.kind === 'empty') parts.push({ kind: 'empty' });
    else parts.push({ kind: 'separator', char: segment.char });
  }
  return parts;
}

const partText = (part: TextPart) => (part.kind === 'digit' ? String(part.segment.digit) : part.kind === 'separator' ? part.char : ' ');

function uncertainMessage(count: number): string {
  return `Not sure about ${count === 1 ? 'one digit' : `${count} digits`}: check the highlighted ${count === 1 ? 'one' : 'ones'}.`;
}

/**
 * The result with digit `index` (its position in `digits`) changed to `to`, as a person chose it:
 * sure (confidence 1, not "not sure"), its probabilities still the model's.
 */
export function correct(detail: DigitRecognizedDetail, index: number, to: number): DigitRecognizedDetail {
  const target = detail.segments.indexOf(digitSegments(detail)[index]!);
  if (target < 0) throw new RangeError(`there is no digit ${index} to correct`);
  const segments = detail.segments.map((segment, i): ReadSegment =>
    i === target && segment.kind === 'digit' ? { ...segment, digit: to, confidence: 1, uncertain: false } : segment,
  );
  const digits = digitSegments({ segments });
  const uncertain = digits.filter((s) => s.uncertain).length;
  const corrected = [...new Set([...(detail.corrected ?? []), index])].sort((a, b) => a - b);
  const { message: _old, ...rest } = detail;
  const message = uncertain > 0 ? uncertainMessage(uncertain) : undefined;
  return {
    ...rest,
    status: uncertain > 0 ? 'uncertain' : 'ok',
    digits: digits.map((s) => s.digit).join(''),
    text: textParts({ text: detail.text, segments }).map(partText).join(''),
    digit: digits[0]!.digit,
    confidence: Math.min(...digits.map((s) => s.confidence)),
    segments,
    corrected,
    ...(message ? { message } : {}),
  };
}
