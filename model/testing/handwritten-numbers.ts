/**
 * Numbers written by real people, for tests and evaluation: each held-out writer's own digits
 * (strokes.json) composed into a number the way one writer writes one: a common size and slant,
 * varying gaps, digits that overlap in x and touch, separators drawn with the same pen. Returned as
 * pad strokes (the element's units: fractions of the pad's width) so the same number can be replayed
 * into the element in Chromium or rendered in Node exactly as the pad exports it.
 */
import type { PixelImage } from '../core/index.js';
import { READING_PEN_SHARE, WORKING_SIZE } from '../core/index.js';
import type { StrokeDigit } from '../training/data/handwriting.js';
import { boundsOf, toUnitBox, type UnitStrokes } from '../training/data/stroke-digits.js';
import { renderStrokes, type PixelStroke } from '../training/data/stroke-renderer.js';
import { gaussian, uniform, type Random } from '../training/random.js';

/** One stroke on the pad: points in pad widths, width in pad widths (as component/src/strokes.ts). */
export interface PadStroke {
  points: { x: number; y: number }[];
  width: number;
}

export interface Writer {
  id: string;
  dataset: string;
  /** The writer's samples of each digit, in unit-box strokes. */
  digits: Map<number, UnitStrokes[]>;
}

/** Writers who wrote every digit at least once: they can write any number. */
export function writersOf(samples: readonly StrokeDigit[]): Writer[] {
  const byWriter = new Map<string, Writer>();
  for (const s of samples) {
    let w = byWriter.get(s.writer);
    if (!w) byWriter.set(s.writer, (w = { id: s.writer, dataset: s.dataset, digits: new Map() }));
    const list = w.digits.get(s.label) ?? [];
    list.push(toUnitBox(s.strokes));
    w.digits.set(s.label, list);
  }
  return [...byWriter.values()].filter((w) => w.digits.size === 10);
}

export interface Pad {
  /** CSS pixels. */
  width: number;
  /** height / width. */
  aspect: number;
  /** Stroke width in CSS pixels (the element's default is 16). */
  strokeWidth: number;
}

export const DEFAULT_PAD: Pad = { width: 600, aspect: 0.5, strokeWidth: 16 };

export interface ComposedNumber {
  /** As written, separators and spaces included ("19.133.-"). */
  text: string;
  /** Digits only. */
  digits: string;
  strokes: PadStroke[];
  /** Each digit's box on the pad (pad widths), left to right. */
  boxes: { x: number; y: number; width: number; height: number }[];
}

/** Separator strokes in a unit line (0 = top of the digits, 1 = baseline), starting at x = 0; returns their width. */
function separatorStrokes(char: string, random: Random): { strokes: UnitStrokes; width: number } {
  const j = () => uniform(random, -0.03, 0.03);
  switch (char) {
    case '.':
      return { strokes: [[[0, 0.97 + j()], [0.03, 0.98 + j()]]], width: 0.08 };
    case ',':
      return { strokes: [[[0.08, 0.92], [0.07 + j(), 1.02], [0, 1.18 + j()]]], width: 0.1 };
    case '-': {
      const w = uniform(random, 0.25, 0.45);
      return { strokes: [[[0, 0.52 + j()], [w / 2, 0.5 + j()], [w, 0.52 + j()]]], width: w };
    }
    case '/':
      return { strokes: [[[0.6, -0.05 + j()], [0, 1.05 + j()]]], width: 0.6 };
    case ':':
      return { strokes: [[[0.02, 0.35 + j()], [0.04, 0.36]], [[0.02, 0.92 + j()], [0.04, 0.93]]], width: 0.08 };
    default:
      throw new Error(`no strokes for separator ${JSON.stringify(char)}`);
  }
}

export interface ComposeOptions {
  pad?: Pad;
  /** Gap between glyphs, as a fraction of the digit height (negative: overlapping in x). */
  gap?: [number, number];
}

/**
 * `text` (digits, separators ". , - / :" and spaces) written by `writer` on the pad: one size and
 * slant for the whole number, a little jitter per digit, fitted into the pad like a person would.
 */
export function composeNumber(writer: Writer, text: string, random: Random, options: ComposeOptions = {}): ComposedNumber {
  const pad = options.pad ?? DEFAULT_PAD;
  const [gapLo, gapHi] = options.gap ?? [-0.22, 0.3];
  const slant = Math.max(-0.3, Math.min(0.45, 0.08 + 0.13 * gaussian(random)));
  const glyphs: { strokes: UnitStrokes; width: number; digit: boolean; space: boolean }[] = [];
  for (const char of text) {
    if (char === ' ') {
      glyphs.push({ strokes: [], width: uniform(random, 0.5, 0.8), digit: false, space: true });
      continue;
    }
    if (/[0-9]/.test(char)) {
      const samples = writer.digits.get(Number(char))!;
      const sample = samples[Math.floor(random() * samples.length)]!;
      const b = boundsOf(sample);
      // Each digit a little bigger or smaller, higher or lower, as a hand writes.
      const scale = uniform(random, 0.9, 1.08), lift = uniform(random, -0.05, 0.05);
      const strokes = sample.map((s) => s.map(([x, y]) => [(x - b.minX) * scale, (y - b.minY) * scale + lift + (1 - scale) * 0.5] as [number, number]));
      glyphs.push({ strokes, width: Math.max(0.12, (b.maxX - b.minX) * scale), digit: true, space: false });
      continue;
    }
    const sep = separatorStrokes(char, random);
    glyphs.push({ ...sep, digit: false, space: false });
  }
  // Lay out in digit heights, then fit into the pad.
  const placed: { strokes: UnitStrokes; x: number; width: number; digit: boolean }[] = [];
  let x = 0;
  glyphs.forEach((g, i) => {
    if (i > 0) x += g.space || glyphs[i - 1]!.space ? 0 : uniform(random, gapLo, gapHi) * (g.digit && glyphs[i - 1]!.digit ? 1 : 0.5) + (g.digit && glyphs[i - 1]!.digit ? 0.12 : 0.1);
    if (!g.space) placed.push({ strokes: g.strokes.map((s) => s.map(([px, py]) => [px + x, py] as [number, number])), x, width: g.width, digit: g.digit });
    x += g.width;
  });
  const totalWidth = x + 0.5;
  const padHeight = pad.aspect; // in pad widths
  const height = Math.min(0.62 * padHeight, (0.9 - 0.03) / totalWidth) * uniform(random, 0.8, 1);
  const left = (1 - totalWidth * height) / 2 + uniform(random, -0.02, 0.02);
  const top = (padHeight - height) / 2 + uniform(random, -0.05, 0.05) * padHeight;
  const strokeWidth = pad.strokeWidth / pad.width;
  const toPad = ([px, py]: [number, number]) => ({ x: left + (px + slant * (1 - py)) * height, y: top + py * height });
  const strokes: PadStroke[] = [];
  const boxes: ComposedNumber['boxes'] = [];
  for (const p of placed) {
    for (const s of p.strokes) strokes.push({ points: s.map(toPad), width: strokeWidth });
    if (p.digit) {
      const pts = p.strokes.flat().map(toPad);
      const xs = pts.map((q) => q.x), ys = pts.map((q) => q.y);
      boxes.push({ x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) });
    }
  }
  return { text, digits: text.replace(/[^0-9]/g, ''), strokes, boxes };
}

/** One digit sample (unit-box strokes, as written) drawn on the pad at a size a person draws one digit. */
export function composeDigit(sample: UnitStrokes, random: Random, pad: Pad = DEFAULT_PAD): PadStroke[] {
  const b = boundsOf(sample);
  const height = pad.aspect * uniform(random, 0.45, 0.8);
  const width = (b.maxX - b.minX) * height;
  const left = 0.5 - width / 2 + uniform(random, -0.15, 0.15), top = (pad.aspect - height) / 2 + uniform(random, -0.05, 0.05) * pad.aspect;
  return sample.map((s) => ({ width: pad.strokeWidth / pad.width, points: s.map(([x, y]) => ({ x: left + (x - b.minX) * height, y: top + (y - b.minY) * height })) }));
}

/**
 * The pad's export of strokes as the element makes it (component/src/strokes.ts strokesToImage): the
 * written region plus a margin, at least half the pad's height each way, WORKING_SIZE on its longest
 * side, black ink on white, the pen no wider than READING_PEN_SHARE of the writing's height; drawn
 * with the Node copy of the pad's renderer.
 */
export function padExport(strokes: readonly PadStroke[], aspect: number, longestSide = WORKING_SIZE): PixelImage {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const s of strokes)
    for (const p of s.points) {
      minX = Math.min(minX, p.x - s.width / 2);
      minY = Math.min(minY, p.y - s.width / 2);
      maxX = Math.max(maxX, p.x + s.width / 2);
      maxY = Math.max(maxY, p.y + s.width / 2);
    }
  const margin = 0.05 * aspect;
  const grow = (lo: number, hi: number) => {
    const side = Math.max(hi - lo + 2 * margin, 0.5 * aspect);
    return [(lo + hi) / 2 - side / 2, side] as const;
  };
  const [left, regionWidth] = grow(minX, maxX);
  const [top, regionHeight] = grow(minY, maxY);
  const pixel = Math.max(regionWidth, regionHeight) / longestSide;
  const width = Math.max(1, Math.round(regionWidth / pixel));
  const height = Math.max(1, Math.round(regionHeight / pixel));
  // The pen as the element reads it: no wider than READING_PEN_SHARE of the writing's height.
  const ys = strokes.flatMap((s) => s.points.map((p) => p.y));
  const pen = READING_PEN_SHARE * (Math.max(...ys) - Math.min(...ys));
  const pixelStrokes: PixelStroke[] = strokes.map((s) => ({ width: Math.min(s.width, Math.max(pen, 1e-9)) / pixel, points: s.points.map((p) => [(p.x - left) / pixel, (p.y - top) / pixel] as const) }));
  return renderStrokes(pixelStrokes, width, height);
}

/** Random numbers to write: 2-10 digits, sometimes with a leading zero. */
export function randomDigits(random: Random, min = 2, max = 10): string {
  const length = min + Math.floor(random() * (max - min + 1));
  return Array.from({ length }, () => String(Math.floor(random() * 10))).join('');
}

/** Numbers with separators as people write them: amounts, dates, times, phone numbers, decimals. */
export function randomFormatted(random: Random): string {
  const d = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
  const nz = () => String(1 + Math.floor(random() * 9));
  const formats = [
    () => `${nz()}${d(1)}.${d(3)}.-`,
    () => `${nz()}.${d(3)},${d(2)}`,
    () => `${nz()}${d(2)},${d(2)}`,
    () => `${d(2)}/${d(2)}/${d(4)}`,
    () => `${d(2)}.${d(2)}.${d(2)}`,
    () => `${d(2)}:${d(2)}`,
    () => `${d(4)} ${d(3)}`,
    () => `${nz()}${d(2)}-${d(4)}`,
    () => `${d(1)},${d(2)}`,
  ];
  return formats[Math.floor(random() * formats.length)]!();
}
