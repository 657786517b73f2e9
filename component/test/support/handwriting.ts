/**
 * Node side of the tests: numbers and digits written by real people (held-out writers of
 * ../shared/handwriting, never trained on), sent to the page as pad strokes, only the strokes a test
 * needs (strokes.json is 4 MB). The page replays them as pointer events (dom.ts).
 */
import type { BrowserCommand } from 'vitest/node';
import { padRegion, paintStrokes, prepareStrokes, readPrepared, WORKING_SIZE } from '../../../model/core/index.js';
import {
  composeDigit,
  composeNumber,
  DEFAULT_PAD,
  type ComposedNumber,
  type PadStroke,
  type Writer,
} from '../../../model/testing/handwritten-numbers.js';
import { heldOutWriters } from '../../../model/testing/reading-sets.js';
import { defaultHandwritingFolder, loadStrokeDigits } from '../../../model/training/data/handwriting.js';
import { boundsOf, toUnitBox } from '../../../model/training/data/stroke-digits.js';
import { isBarredSeven, isContinentalOne } from '../../../model/testing/writing-styles.js';
import { createRandom } from '../../../model/training/random.js';
import { splitByWriter } from '../../../model/training/data/writers.js';
import { READING_PEN_SHARE } from '../../../model/core/index.js';
import { testClassifier } from './test-server.js';

let writers: Promise<Writer[]> | undefined;

/** The held-out ('test') writers who wrote every digit. */
function testWriters(): Promise<Writer[]> {
  return (writers ??= (async () => {
    const folder = defaultHandwritingFolder();
    if (!folder) throw new Error('../shared/handwriting is missing: the real-writer tests need its strokes.json');
    return heldOutWriters(await loadStrokeDigits(folder), 'test');
  })());
}

/** A number on the pad: strokes in pad widths (x and y), for a pad of height/width `aspect`. */
export interface PadNumber {
  text: string;
  writer: string;
  aspect: number;
  strokes: PadStroke[];
}

/** Which strokes are which digit's: composeNumber writes them digit by digit, each inside its own box. */
function strokesPerDigit(number: ComposedNumber): PadStroke[][] | undefined {
  const inside = (s: PadStroke, b: ComposedNumber['boxes'][number]) =>
    s.points.every((p) => p.x >= b.x - 1e-9 && p.x <= b.x + b.width + 1e-9 && p.y >= b.y - 1e-9 && p.y <= b.y + b.height + 1e-9);
  const digits: PadStroke[][] = number.boxes.map(() => []);
  let d = 0;
  for (const stroke of number.strokes) {
    while (d < number.boxes.length && !inside(stroke, number.boxes[d]!)) d++;
    if (d === number.boxes.length) return undefined;
    digits[d]!.push(stroke);
  }
  // Each digit's strokes must make exactly its box, or the split was wrong.
  const ok = digits.every((strokes, i) => {
    if (strokes.length === 0) return false;
    const b = boundsOf(strokes.map((s) => s.points.map((p) => [p.x, p.y] as [number, number])));
    const box = number.boxes[i]!;
    return Math.abs(b.minX - box.x) < 1e-9 && Math.abs(b.maxX - box.x - box.width) < 1e-9;
  });
  return ok ? digits : undefined;
}

/** Pairs of neighbouring digits whose ink touches or crosses, in the pad's export (padExport's frame and pen). */
function touchingPairs(number: ComposedNumber, aspect: number): number {
  const digits = strokesPerDigit(number);
  if (!digits) return -1;
  const all = number.strokes;
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const s of all) {
    for (const p of s.points) {
      minX = Math.min(minX, p.x - s.width / 2);
      maxX = Math.max(maxX, p.x + s.width / 2);
      minY = Math.min(minY, p.y - s.width / 2);
      maxY = Math.max(maxY, p.y + s.width / 2);
    }
  }
  const margin = 0.05 * aspect;
  const grow = (lo: number, hi: number) => {
    const side = Math.max(hi - lo + 2 * margin, 0.5 * aspect);
    return [(lo + hi) / 2 - side / 2, side] as const;
  };
  const [left, regionWidth] = grow(minX, maxX);
  const [top, regionHeight] = grow(minY, maxY);
  const pixel = Math.max(regionWidth, regionHeight) / WORKING_SIZE;
  const width = Math.round(regionWidth / pixel),
    height = Math.round(regionHeight / pixel);
  const ys = all.flatMap((s) => s.points.map((p) => p.y));
  const pen = READING_PEN_SHARE * (Math.max(...ys) - Math.min(...ys));
  const mask = (strokes: PadStroke[]) => {
    const ink = new Float32Array(width * height);
    paintStrokes(
      ink,
      width,
      height,
      strokes.map((s) => ({
        width: Math.min(s.width, pen) / pixel,
        points: s.points.map((p) => [(p.x - left) / pixel, (p.y - top) / pixel] as const),
      })),
    );
    return ink;
  };
  const masks = digits.map(mask);
  let pairs = 0;
  for (let i = 1; i < masks.length; i++) {
    const a = masks[i - 1]!,
      b = masks[i]!;
    let touching = false;
    for (let p = 0; p < a.length && !touching; p++) touching = a[p]! > 0.5 && b[p]! > 0.5;
    if (touching) pairs++;
  }
  return pairs;
}

export interface PostcodeCase extends PadNumber {
  /** What the core reads from the pad's export, with and without the expected length, in Node. */
  readWithout: string;
  readWith: string;
}

/**
 * Five-digit postcodes written by the held-out writers with exactly one pair of neighbouring digits
 * touching (deterministic), each with what the core reads without and with `length="5"` (Node, the
 * test server's CPU model); the page reads them again in the element. The first `count` such
 * postcodes, then, searching on, until `fixes` of them are postcodes that the length reads right and its absence
 * wrong: reading strokes, the core gets most touching pairs right without help, so those are rare.
 */
export async function touchingPostcodes(count: number, fixes = 1, seed = 13): Promise<PostcodeCase[]> {
  const all = await testWriters();
  const classifier = await testClassifier();
  const random = createRandom(seed);
  const aspect = DEFAULT_PAD.aspect;
  const cases: PostcodeCase[] = [];
  let found = 0;
  for (let n = 0; n < 2000 && (cases.length < count || found < fixes); n++) {
    const writer = all[n % all.length]!;
    const text = Array.from({ length: 5 }, () => String(Math.floor(random() * 10))).join('');
    const number = composeNumber(writer, text, random, { gap: [-0.15, 0.3] });
    if (touchingPairs(number, aspect) !== 1) continue;
    // As the element reads a drawing: its strokes in the pad export's pixels.
    const prepared = prepareStrokes(padRegion(number.strokes, aspect)!.strokes);
    const probabilities = await classifier.predict(prepared.inputs);
    const postcode: PostcodeCase = {
      text,
      writer: writer.id,
      aspect,
      strokes: number.strokes,
      readWithout: readPrepared(prepared, probabilities, {}).digits,
      readWith: readPrepared(prepared, probabilities, { minDigits: 5, maxDigits: 5 }).digits,
    };
    const fixed = postcode.readWithout !== text && postcode.readWith === text;
    if (cases.length < count || fixed) cases.push(postcode);
    if (fixed) found++;
  }
  return cases;
}

/** One digit as its writer drew it: strokes in a unit box ([0,1] both ways), and the box's width / height. */
export interface WrittenDigit {
  digit: number;
  strokes: [number, number][][];
  aspect: number;
}

/** The digits of `text` in one held-out writer's hand (the `nth` writer, each digit's `sample`-th sample), for writing one per box. */
export async function writtenDigits(text: string, nth = 0, sample = 0): Promise<{ writer: string; digits: WrittenDigit[] }> {
  const all = await testWriters();
  const writer = all[nth % all.length]!;
  const digits = [...text].map((char) => {
    const samples = writer.digits.get(Number(char))!;
    const strokes = samples[sample % samples.length]!;
    const b = boundsOf(strokes);
    const w = Math.max(b.maxX - b.minX, 1e-6),
      h = Math.max(b.maxY - b.minY, 1e-6);
    // A 1 is a line: its box is its own height, a sliver wide; keep it in the middle.
    const side = Math.max(w, h);
    const unit = strokes.map((s) =>
      s.map(([x, y]) => [(x - b.minX + (side - w) / 2) / side, (y - b.minY + (side - h) / 2) / side] as [number, number]),
    );
    return { digit: Number(char), strokes: unit, aspect: w / h };
  });
  return { writer: writer.id, digits };
}

/** One held-out writer's digit as drawn on the pad (DEFAULT_PAD), with the writing style tests count apart. */
export interface PadDigit {
  label: number;
  writer: string;
  /** Strokes in pad widths, in the order written. */
  strokes: PadStroke[];
  style?: 'continental 1' | 'barred 7';
}

/**
 * Every single digit by the held-out ('test') writers, each placed on the pad as a person would
 * write it (composeDigit: size, position and pen drawn at random, deterministically): the same
 * digits and placement as `npm run eval`'s "held-out writers" row.
 */
export async function heldOutPadDigits(seed = 5): Promise<PadDigit[]> {
  const folder = defaultHandwritingFolder();
  if (!folder) throw new Error('../shared/handwriting is missing: the real-writer tests need its strokes.json');
  const samples = splitByWriter(await loadStrokeDigits(folder)).test;
  const random = createRandom(seed);
  return samples.map((sample) => {
    const unit = toUnitBox(sample.strokes);
    const style =
      sample.label === 1 && isContinentalOne(unit) ? 'continental 1' : sample.label === 7 && isBarredSeven(unit) ? 'barred 7' : undefined;
    return { label: sample.label, writer: sample.writer, strokes: composeDigit(unit, random), ...(style ? { style } : {}) };
  });
}

export const padDigits: BrowserCommand<[]> = () => heldOutPadDigits();
export const postcodes: BrowserCommand<[count: number]> = (_context, count) => touchingPostcodes(count);
export const digitsInHand: BrowserCommand<[text: string, nth?: number, sample?: number]> = (_context, text, nth, sample) =>
  writtenDigits(text, nth, sample);

declare module 'vitest/browser' {
  interface BrowserCommands {
    postcodes: (count: number) => Promise<PostcodeCase[]>;
    padDigits: () => Promise<PadDigit[]>;
    digitsInHand: (text: string, nth?: number, sample?: number) => Promise<{ writer: string; digits: WrittenDigit[] }>;
  }
}
