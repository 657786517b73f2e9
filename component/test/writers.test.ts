/**
 * Other writers, through the element: every single digit by the held-out ('test') writers of
 * ../shared/handwriting (people the model never trained on, nor was chosen on), replayed as pointer
 * strokes on the pad of a default `<digit-recognizer>` and read on this device. The other-writers
 * issue (#12) asks at least 99% overall and at least 98% for continental 1s (a long flag, often a
 * base) and for 7s with a bar. The shipped model reads 98.0% overall, 74 of 78 continental 1s (one
 * writer's four 1s read as 7s) and 98.6% of barred 7s: the 7s meet the goal; for the rest the bars
 * are floors under today's figures, so a regression fails, and the goal stays open.
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
  test('at least 97.5% are read right (goal 99%, not reached)', () => {
    // Several hundred digits from a few dozen writers, or the figure says little.
    expect(overall.count).toBeGreaterThan(500);
    expect(overall.correct / overall.count, report(overall)).toBeGreaterThanOrEqual(0.975);
  });

  test.each([
    ['barred 7', 0.98],
    ['continental 1', 0.93], // goal 98%, not reached
  ] as const)('the %ss are read right at least %s of the time', (style, bar) => {
    const t = byStyle.get(style)!;
    expect(t.count, `${style}s among the held-out writers' digits`).toBeGreaterThanOrEqual(20);
    expect(t.correct / t.count, report(t)).toBeGreaterThanOrEqual(bar);
  });
});
