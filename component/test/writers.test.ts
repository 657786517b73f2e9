/**
 * Other writers, through the element: every single digit by the held-out ('test') writers of
 * ../shared/handwriting (people the model never trained on, nor was chosen on), replayed as pointer
 * strokes on the pad of a default `<digit-recognizer>` and read on this device. The bars are the
 * other-writers issue's: at least 99% overall, and at least 98% for continental 1s (a long flag,
 * often a base) and for 7s with a bar, which MNIST-only models read as 7s and 2s.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import type { PadDigit } from './support/handwriting.js';
import { drawPadStrokes, mount, stageAspect } from './support/dom.js';
import { DEFAULT_PAD } from '../../model/testing/handwritten-numbers.js';

interface Tally {
  count: number;
  correct: number;
  misses: string[];
}

const tally = (): Tally => ({ count: 0, correct: 0, misses: [] });
const overall = tally();
const byStyle = new Map<string, Tally>([
  ['continental 1', tally()],
  ['barred 7', tally()],
]);

let digits: PadDigit[];
let el: DigitRecognizer;

beforeAll(async () => {
  digits = await commands.padDigits();
  el = await mount({ 'auto-predict': '0', mode: 'local' });
  // The digits were placed on a pad of DEFAULT_PAD's shape: the element's must be the same.
  expect(stageAspect(el)).toBeCloseTo(1 / DEFAULT_PAD.aspect, 2);
  for (const digit of digits) {
    el.clear();
    drawPadStrokes(el, digit.strokes);
    const read = (await el.recognize()).digits;
    for (const counter of [overall, ...(digit.style ? [byStyle.get(digit.style)!] : [])]) {
      counter.count++;
      if (read === String(digit.label)) counter.correct++;
      else counter.misses.push(`${digit.label} by ${digit.writer} read "${read}"`);
    }
  }
}, 900_000);

afterAll(() => {
  document.body.replaceChildren();
});

const report = (t: Tally) => `${t.correct}/${t.count}; misses: ${t.misses.slice(0, 20).join(', ')}`;

describe('single digits by held-out writers, drawn on the pad', () => {
  test('at least 99% are read right', () => {
    // Several hundred digits from a few dozen writers, or the figure says little.
    expect(overall.count).toBeGreaterThan(500);
    expect(overall.correct / overall.count, report(overall)).toBeGreaterThanOrEqual(0.99);
  });

  test.each(['continental 1', 'barred 7'])('at least 98% of the %ss are read right', (style) => {
    const t = byStyle.get(style)!;
    expect(t.count, `${style}s among the held-out writers' digits`).toBeGreaterThanOrEqual(20);
    expect(t.correct / t.count, report(t)).toBeGreaterThanOrEqual(0.98);
  });
});
