/**
 * The continental ways of writing that MNIST (American writers) rarely shows: a 1 with a long flag
 * or a base, a 7 with a bar through its stem. Told from the strokes themselves, to report how the
 * model reads them (issue 12's check: each at least 98%).
 */
import { boundsOf, type UnitStrokes } from '../training/data/stroke-digits.js';

/** A 1 that is not a plain bar: some of its ink lies well off the line from its top to its bottom. */
export function isContinentalOne(strokes: UnitStrokes): boolean {
  const points = strokes.flat();
  const top = points.reduce((a, p) => (p[1] < a[1] ? p : a));
  const bottom = points.reduce((a, p) => (p[1] > a[1] ? p : a));
  const length = Math.hypot(bottom[0] - top[0], bottom[1] - top[1]) || 1e-9;
  const off = Math.max(
    ...points.map(([x, y]) => Math.abs((bottom[1] - top[1]) * (x - top[0]) - (bottom[0] - top[0]) * (y - top[1])) / length),
  );
  return off > 0.18 * (bottom[1] - top[1]);
}

/** A 7 with a bar: a mostly horizontal stroke (or part of one) below its top third. */
export function isBarredSeven(strokes: UnitStrokes): boolean {
  const b = boundsOf(strokes);
  const height = b.maxY - b.minY || 1e-9;
  return strokes.some((stroke) => {
    // Runs of a stroke that go sideways far more than down, low enough to cross the stem.
    for (let i = 0; i < stroke.length; i++)
      for (let j = i + 1; j < stroke.length; j++) {
        const dx = Math.abs(stroke[j]![0] - stroke[i]![0]),
          dy = Math.abs(stroke[j]![1] - stroke[i]![1]);
        const y = (stroke[i]![1] + stroke[j]![1]) / 2;
        if (dx >= 0.25 * height && dy <= 0.35 * dx && y - b.minY >= 0.35 * height) return true;
      }
    return false;
  });
}
