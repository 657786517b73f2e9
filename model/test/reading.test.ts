/**
 * Whole numbers as people write them, by writers nobody on the team is and the model never trained
 * on (the test part of the writer split of ../shared/handwriting), read through the full path:
 * drawn on the pad, with separators, on ruled, squared and boxed paper, in a full-resolution phone
 * photo, and digits that fill a 16x16 frame (the USPS test tenth). The bars are the product's
 * promises (issue 11); each test prints its figure and a few misses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TfjsClassifier } from '../core/index.js';
import { defaultHandwritingFolder, loadStrokeDigits, loadUsps, type StrokeDigit, type UspsSet } from '../training/data/handwriting.js';
import { scoreDigitImages, scoreNumbers } from '../training/evaluate.js';
import { heldOutWriters, padNumbers, paperNumbers, phonePhotos, uspsTenth } from '../testing/reading-sets.js';
import { loadShippedClassifier } from '../testing/shipped-model.js';
import type { Writer } from '../testing/handwritten-numbers.js';

// CI has ../shared/handwriting beside the checkout; without it these sets cannot be made.
const folder = defaultHandwritingFolder();
let classifier: TfjsClassifier;
let writers: Writer[];
let samples: StrokeDigit[];
let usps: UspsSet;

beforeAll(async () => {
  classifier = await loadShippedClassifier();
  if (!folder) return;
  [samples, usps] = await Promise.all([loadStrokeDigits(folder), loadUsps(folder)]);
  writers = heldOutWriters(samples, 'test');
});

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;

describe.runIf(folder)('reading numbers by held-out writers', () => {
  it('reads at least 90% of 2-10 digit numbers drawn on the pad exactly', async () => {
    const score = await scoreNumbers(padNumbers(writers, 200, 11), classifier);
    console.log(
      `pad numbers: ${pct(score.digits, score.count)} of ${score.count} exact (median ${score.medianMs.toFixed(0)} ms); misses: ${score.misses.join(', ')}`,
    );
    expect(score.digits / score.count).toBeGreaterThanOrEqual(0.9);
  });

  // The numbers issue (#11) asks 90% in digits and in text. Not reached yet: these floors are what the
  // shipped reader does on the held-out writers today (87.0% / 75.5%), so a regression fails here.
  it('reads at least 85% of numbers with separators exactly in digits, 72% in text (goal 90%, not reached)', async () => {
    const score = await scoreNumbers(padNumbers(writers, 200, 12, true), classifier);
    console.log(
      `separators: digits ${pct(score.digits, score.count)}, text ${pct(score.text, score.count)} of ${score.count}; misses: ${score.misses.join(', ')}`,
    );
    expect(score.digits / score.count).toBeGreaterThanOrEqual(0.85);
    expect(score.text / score.count).toBeGreaterThanOrEqual(0.72);
  });

  // Goal 97% on each paper (#11), not reached: floors under today's 89% ruled, 62% squared, 75% boxes
  // (63% in text, empty boxes in their places).
  const PAPER_FLOORS = {
    ruled: { digits: 0.86, text: 0 },
    squared: { digits: 0.58, text: 0 },
    boxes: { digits: 0.72, text: 0.6 },
  } as const;
  it.each(['ruled', 'squared', 'boxes'] as const)(
    'reads numbers on %s paper at least as well as today (goal 97%, not reached)',
    async (kind) => {
      const score = await scoreNumbers(paperNumbers(writers, kind, 100, 13), classifier);
      console.log(
        `${kind}: ${pct(score.digits, score.count)} digits, ${pct(score.text, score.count)} text of ${score.count}; misses: ${score.misses.join(', ')}`,
      );
      expect(score.digits / score.count).toBeGreaterThanOrEqual(PAPER_FLOORS[kind].digits);
      if (kind === 'boxes') expect(score.text / score.count).toBeGreaterThanOrEqual(PAPER_FLOORS[kind].text);
    },
  );

  it('reads at least 95% of 1-4 digit numbers in 12 MP phone photos', async () => {
    let exact = 0;
    const misses: string[] = [];
    const count = 20;
    for (let n = 0; n < count; n++) {
      const score = await scoreNumbers(phonePhotos(writers, 1, 1000 + n), classifier);
      exact += score.digits;
      misses.push(...score.misses);
    }
    console.log(`12 MP photos: ${pct(exact, count)} of ${count}; misses: ${misses.join(', ')}`);
    expect(exact / count).toBeGreaterThanOrEqual(0.95);
  });

  it('reads at least 95% of 16x16 digits that fill their frame (USPS test tenth), as whole images', async () => {
    const score = await scoreDigitImages(uspsTenth(usps), classifier);
    console.log(`USPS 16x16: ${pct(score.correct, score.count)} of ${score.count}`);
    expect(score.correct / score.count).toBeGreaterThanOrEqual(0.95);
  });
});
