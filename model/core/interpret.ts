/**
 * Interpretation, the pipeline's last stage: classifier output made into the result a person reads:
 * the digits, the number as written with its separators, each digit's confidence, what is uncertain,
 * and the status. With a lattice of candidates (an image read by the core) the reading is the best
 * path through it (decode.ts); without one (digits prepared elsewhere and sent as pixels) every input
 * is one digit.
 */
import { CONFIDENCE_THRESHOLD, DIGIT_CLASSES, DIGIT_SIDE } from './constants.js';
import { bestPath, type CountLimits } from './decode.js';
import type { Box, DigitSegment, ReadSegment, RecognitionResult, SeparatorChar } from './types.js';

/** Why nothing was read: an empty image, or ink that holds nothing digit-like. */
export type NoDigitReason = 'blank' | 'no-digit-shape';

export interface InterpretOptions extends CountLimits {
  /** Segments below this probability are flagged `uncertain` (default CONFIDENCE_THRESHOLD). */
  confidenceThreshold?: number;
}

/**
 * How the candidates of an image fit together, in the input image's pixels. Plain JSON: the element
 * sends it with the candidates' pixels when the server classifies, and the server reads the same way.
 */
export interface Lattice {
  /** Pieces of ink, left to right; input i covers pieces [spans[i][0], spans[i][1]). */
  pieces: number;
  spans: [number, number][];
  /** Boundaries cut through ink (i: between pieces i and i + 1), which a reading crosses at a cost. */
  cuts?: number[];
  separators: { char: SeparatorChar; box: Box }[];
  /** A form's boxes, left to right: each is the input read as its one digit, or empty (null). */
  cells?: { box: Box; input: number | null }[];
  /** Height of the line of writing: spaces are gaps wider than a good part of it. */
  lineHeight: number;
}

const NO_DIGIT_MESSAGES: Record<NoDigitReason, string> = {
  blank: 'The image is blank: draw or upload a digit.',
  'no-digit-shape': 'Nothing in the image looks like a digit.',
};

function digitSegment(row: readonly number[], box: Box, threshold: number, input: number): DigitSegment {
  let digit = 0;
  for (let d = 1; d < DIGIT_CLASSES; d++) if (row[d]! > row[digit]!) digit = d;
  const confidence = row[digit]!;
  return {
    kind: 'digit',
    digit,
    confidence,
    probabilities: row.slice(0, DIGIT_CLASSES).map((p) => Math.round(p * 1e6) / 1e6),
    box,
    uncertain: confidence < threshold,
    input,
  };
}

const centre = (box: Box) => box.x + box.width / 2;

/** A space is a gap wider than this share of the line height, and than this many typical gaps between digits. */
const SPACE_LINE_SHARE = 0.4;
const SPACE_TYPICAL_GAPS = 2.5;

/** The number as written: tokens left to right, a space where the gap is wide. */
function textOf(segments: readonly ReadSegment[], lineHeight: number): string {
  const gaps: number[] = [];
  for (let i = 1; i < segments.length; i++) gaps.push(segments[i]!.box.x - (segments[i - 1]!.box.x + segments[i - 1]!.box.width));
  // Overlapping neighbours (slanted, cramped writing) count as no gap: else the one space may be the median.
  const sorted = gaps.map((g) => Math.max(0, g)).sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)] ?? 0;
  // Chosen on the validation writers' formatted numbers (text exact: 0.5 H / 2x 85.5%, 0.4 H / 2.5x 86.0%).
  const wide = Math.max(SPACE_LINE_SHARE * lineHeight, SPACE_TYPICAL_GAPS * typical);
  let text = '';
  segments.forEach((s, i) => {
    if (i > 0 && s.kind === 'digit' && segments[i - 1]!.kind === 'digit' && gaps[i - 1]! > wide) text += ' ';
    text += s.kind === 'digit' ? String(s.digit) : s.kind === 'separator' ? s.char : ' ';
  });
  return text;
}

function result(
  segments: ReadSegment[],
  lineHeight: number,
  reason: NoDigitReason,
  extra: Partial<RecognitionResult> = {},
): RecognitionResult {
  const digits = segments.filter((s): s is DigitSegment => s.kind === 'digit');
  if (digits.length === 0) {
    return {
      status: 'no-digit',
      digits: '',
      text: '',
      digit: null,
      confidence: 0,
      segments: [],
      message: NO_DIGIT_MESSAGES[reason],
      ...extra,
    };
  }
  const uncertain = digits.filter((s) => s.uncertain).length;
  return {
    status: uncertain > 0 ? 'uncertain' : 'ok',
    digits: digits.map((s) => s.digit).join(''),
    text: textOf(segments, lineHeight),
    digit: digits[0]!.digit,
    confidence: Math.min(...digits.map((s) => s.confidence)),
    segments,
    ...(uncertain > 0
      ? {
          message: `Not sure about ${uncertain === 1 ? 'one digit' : `${uncertain} digits`}: check the highlighted ${uncertain === 1 ? 'one' : 'ones'}.`,
        }
      : {}),
    ...extra,
  };
}

/** The digits of a result, left to right (its segments without separators and empty boxes). */
export function digitSegments(result: Pick<RecognitionResult, 'segments'>): DigitSegment[] {
  return result.segments.filter((s): s is DigitSegment => s.kind === 'digit');
}

/** Every input is one digit, left to right (digits prepared elsewhere, sent as pixels). */
export function interpret(
  probabilities: number[][],
  boxes: Box[],
  options: InterpretOptions = {},
  reason: NoDigitReason = 'no-digit-shape',
): RecognitionResult {
  const threshold = options.confidenceThreshold ?? CONFIDENCE_THRESHOLD;
  const segments = probabilities.map((row, i) =>
    digitSegment(row, boxes[i] ?? { x: 0, y: 0, width: DIGIT_SIDE, height: DIGIT_SIDE }, threshold, i),
  );
  const height = Math.max(0, ...segments.map((s) => s.box.height));
  return result(segments, height, reason);
}

/** Reads a lattice: the best path through it, with the separators and empty boxes in their places. */
export function interpretLattice(
  lattice: Lattice,
  probabilities: number[][],
  boxes: Box[],
  options: InterpretOptions = {},
  reason: NoDigitReason = 'no-digit-shape',
): RecognitionResult {
  const threshold = options.confidenceThreshold ?? CONFIDENCE_THRESHOLD;
  const segments: ReadSegment[] = [];
  let countFits = true;
  if (lattice.cells) {
    // One digit per box, whatever the classifier thinks of its shape: the form says so.
    for (const cell of lattice.cells)
      segments.push(
        cell.input === null
          ? { kind: 'empty', box: cell.box }
          : digitSegment(probabilities[cell.input]!, boxes[cell.input]!, threshold, cell.input),
      );
  } else {
    const path = bestPath(lattice, probabilities, options);
    countFits = path.countFits;
    for (const c of path.digits) segments.push(digitSegment(probabilities[c]!, boxes[c]!, threshold, c));
    if (segments.length > 0) for (const s of lattice.separators) segments.push({ kind: 'separator', char: s.char, box: s.box });
    segments.sort((a, b) => centre(a.box) - centre(b.box));
    // Separators before the first digit or after the last are part of the number only as a sign or a
    // dash after an amount; dots and commas out there are specks.
    while (segments[0]?.kind === 'separator' && segments[0].char !== '-') segments.shift();
    while (segments.at(-1)?.kind === 'separator' && !['-', '.'].includes((segments.at(-1) as { char: string }).char)) segments.pop();
  }
  const limited = options.minDigits !== undefined || options.maxDigits !== undefined;
  return result(segments, lattice.lineHeight, reason, limited ? { countFits } : {});
}
