/**
 * Choosing the reading: the best path through the lattice of candidates, as digit-string readers
 * do. Pieces are ordered left to right; each candidate digit covers a run of them; a path covers
 * every piece once, either inside a candidate read as a digit or skipped as not a digit. Its cost is
 * the sum of -log p(digit) over its digits and -log p(not one digit) over what it skips, so a whole
 * digit read surely beats two halves read as 1s, and a smudge is dropped only when the classifier
 * says it is no digit. With an expected number of digits the path is chosen among those with an
 * allowed count. Work: pieces x candidates-per-piece x digit counts, a few thousand steps at most.
 */
import { DIGIT_CLASSES, MAX_DIGITS } from './constants.js';

/** Prepared candidates: the pieces each covers ([from, to) of `pieces`). */
export interface LatticeShape {
  pieces: number;
  spans: readonly (readonly [number, number])[];
  /** Boundaries cut through ink: i means pieces i and i + 1 are parts of one connected mark. */
  cuts?: readonly number[];
}

export interface CountLimits {
  minDigits?: number;
  maxDigits?: number;
}

export interface BestPath {
  /** Indices of the candidates read as digits, left to right. */
  digits: number[];
  /** Whether the count limits could be met; when not, the best path of any count is returned. */
  countFits: boolean;
}

/** Extra cost of skipping a piece, so that ink is read rather than thrown away when in doubt. */
const SKIP_PENALTY = 2;
const FLOOR = 1e-6;
/**
 * Cost of a path ending a digit at a cut through ink: digits touch less often than they stand
 * alone, and half of a 7 or a 3 is often a fine 1 to the classifier. Chosen on MNIST validation
 * digits and numbers (0.5 to 2 alike, 0 worse) and the validation writers' pad numbers.
 */
const CUT_PENALTY = 1.5;

function digitProbability(row: readonly number[]): number {
  let best = 0;
  for (let d = 0; d < DIGIT_CLASSES; d++) if (row[d]! > best) best = row[d]!;
  return best;
}

/** The chance the classifier gives that a candidate is not one digit (0 for a ten-class model). */
export function notDigitProbability(row: readonly number[]): number {
  return row.length > DIGIT_CLASSES ? row[DIGIT_CLASSES]! : 0;
}

export function bestPath(lattice: LatticeShape, probabilities: readonly (readonly number[])[], limits: CountLimits = {}): BestPath {
  const P = lattice.pieces;
  const K = Math.min(MAX_DIGITS, limits.maxDigits ?? MAX_DIGITS) + 1;
  const byStart: number[][] = Array.from({ length: P }, () => []);
  const single = new Array<number>(P).fill(-1);
  lattice.spans.forEach(([from, to], c) => {
    byStart[from]!.push(c);
    if (to === from + 1) single[from] = c;
  });
  // cost[i * K + k]: cheapest way to cover pieces [0, i) with k digits; choice remembers the step.
  const cutAt = new Float64Array(P + 1);
  for (const i of lattice.cuts ?? []) if (i >= 0 && i + 1 < P) cutAt[i + 1] = CUT_PENALTY;
  const cost = new Float64Array((P + 1) * K).fill(Infinity);
  const choice = new Int32Array((P + 1) * K).fill(-2); // -1 = skip piece, else candidate index
  cost[0] = 0;
  for (let i = 0; i < P; i++)
    for (let k = 0; k < K; k++) {
      const here = cost[i * K + k]!;
      if (here === Infinity) continue;
      const skip =
        single[i]! >= 0 ? -Math.log(notDigitProbability(probabilities[single[i]!]!) + FLOOR) + SKIP_PENALTY + cutAt[i + 1]! : Infinity;
      if (here + skip < cost[(i + 1) * K + k]!) {
        cost[(i + 1) * K + k] = here + skip;
        choice[(i + 1) * K + k] = -1;
      }
      if (k + 1 >= K) continue;
      for (const c of byStart[i]!) {
        const to = lattice.spans[c]![1];
        const step = -Math.log(digitProbability(probabilities[c]!) + FLOOR) + cutAt[to]!;
        if (here + step < cost[to * K + k + 1]!) {
          cost[to * K + k + 1] = here + step;
          choice[to * K + k + 1] = c;
        }
      }
    }
  const min = Math.max(0, limits.minDigits ?? 0);
  let end = -1;
  for (let k = 0; k < K; k++) if (k >= min && cost[P * K + k]! < (end < 0 ? Infinity : cost[P * K + end]!)) end = k;
  let countFits = end >= 0;
  if (!countFits) for (let k = 0; k < K; k++) if (cost[P * K + k]! < (end < 0 ? Infinity : cost[P * K + end]!)) end = k;
  if (end < 0) return { digits: [], countFits: false };
  const digits: number[] = [];
  for (let i = P, k = end; i > 0;) {
    const c = choice[i * K + k]!;
    if (c === -1) i--;
    else {
      digits.push(c);
      i = lattice.spans[c]![0];
      k--;
    }
  }
  digits.reverse();
  if (limits.maxDigits !== undefined && digits.length > limits.maxDigits) countFits = false;
  return { digits, countFits };
}
