/**
 * Bounded work: inputs built to make segmentation work hard (thousands of bars, hatching, noise, a
 * checkerboard, a grid of dots, a page of text) are each answered quickly, with digits, "no digit"
 * or a clear too-many-marks error; never after a search in proportion to the marks squared. The 2 s
 * bound is a generous safety net for a loaded machine, not a speed goal: their CPU time is in
 * `npm run bench:worker` (goal 50 ms each).
 */
import { describe, expect, it } from 'vitest';
import { MAX_MARKS, prepareDigits, TooManyMarksError } from '../core/index.js';
import { ADVERSARIAL_CASES, barsBomb } from '../testing/adversarial.js';

const SAFETY_BOUND_MS = 2000;

describe('bounded work on adversarial ink', () => {
  it.each(ADVERSARIAL_CASES.map((c) => [c.name, c] as const))('%s is answered within the safety bound', (_, c) => {
    const image = c.image();
    const started = performance.now();
    let outcome: string;
    try {
      const prepared = prepareDigits(image);
      outcome = `${prepared.inputs.length} candidates`;
      expect(prepared.inputs.length).toBeLessThanOrEqual(6 * 32);
    } catch (error) {
      expect(error).toBeInstanceOf(TooManyMarksError);
      outcome = (error as Error).message;
    }
    const ms = performance.now() - started;
    console.log(`${c.name}: ${outcome} in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(SAFETY_BOUND_MS);
  });

  it('refuses the 875-byte bars bomb as too many marks, naming the limit', () => {
    expect(() => prepareDigits(barsBomb())).toThrow(new TooManyMarksError(5312, MAX_MARKS));
  });
});
