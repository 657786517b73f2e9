/**
 * Numbers written by real people, for tests and evaluation: each held-out writer's own digits
 * (strokes.json) composed into a number the way one writer writes one: a common size and slant,
 * varying gaps, digits that overlap in x and touch, separators drawn with the same pen. Returned as
 * pad strokes (the element's units: fractions of the pad's width) so the same number can be replayed
 * into the element in Chromium or rendered in Node exactly as the pad exports it.
 */
import type { PixelImage } from '../core/index.js';
import { padRegion, WORKING_SIZE, type PadStroke } from '../core/index.js';
import type { StrokeDigit } from '../training/data/handwriting.js';
import { boundsOf, toUnitBox, type UnitStrokes } from '../training/data/stroke-digits.js';
import { renderStrokes, type PixelStroke } from '../core/index.js';
import { gaussian, uniform, type Random } from '../training/random.js';

export type { PadStroke };

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
      return {
        strokes: [
          [
            [0, 0.97 + j()],
            [0.03, 0.98 + j()],
          ],
        ],
        width: 0.08,
      };
    case ',':
      return {
        strokes: [
          [
            [0.08, 0.92],
            [0.07 + j(), 1.02],
            [0, 1.18 + j()],
          ],
        ],
        width: 0.1,
      };
    case '-': {
      const w = uniform(random, 0.25, 0.45);
      return {
        strokes: [
          [
            [0, 0.52 + j()],
            [w / 2, 0.5 + j()],
            [w, 0.52 + j()],
          ],
        ],
        width: w,
      };
    }
    case '/':
      return {
        strokes: [
          [
            [0.75, -0.08 + j()],
            [0, 1.08 + j()],
          ],
        ],
        width: 0.75,
      };
    case ':':
      return {
        strokes: [
          [
            [0.02, 0.35 + j()],
            [0.04, 0.36],
          ],
          [
            [0.02, 0.92 + j()],
            [0.04, 0.93],
          ],
        ],
        width: 0.08,
      };
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
      glyphs.push({ strokes: [], width: uniform(random, 0.7, 1.1), digit: false, space: true });
      continue;
    }
    if (/[0-9]/.test(char)) {
      const samples = writer.digits.get(Number(char))!;
      const sample = samples[Math.floor(random() * samples.length)]!;
      const b = boundsOf(sample);
      // Each digit a little bigger or smaller, higher or lower, as a hand writes.
      const scale = uniform(random, 0.9, 1.08),
        lift = uniform(random, -0.05, 0.05);
      const strokes = sample.map((s) =>
        s.map(([x, y]) => [(x - b.minX) * scale, (y - b.minY) * scale + lift + (1 - scale) * 0.5] as [number, number]),
      );
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
    // Digits: the writer's gaps, touching and overlapping in x included; a separator keeps clear of
    // its neighbours, as people leave room for a dot or a comma.
    const before = glyphs[i - 1];
    if (before && !g.space && !before.space)
      x += g.digit && before.digit ? uniform(random, gapLo, gapHi) + 0.12 : uniform(random, 0.06, 0.25);
    if (!g.space)
      placed.push({
        strokes: g.strokes.map((s) => s.map(([px, py]) => [px + x, py] as [number, number])),
        x,
        width: g.width,
        digit: g.digit,
      });
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
      const xs = pts.map((q) => q.x),
        ys = pts.map((q) => q.y);
      boxes.push({
        x: Math.min(...xs),
        y: Math.min(...ys),
        width: Math.max(...xs) - Math.min(...xs),
        height: Math.max(...ys) - Math.min(...ys),
      });
    }
  }
  return { text, digits: text.replace(/[^0-9]/g, ''), strokes, boxes };
}

/** One digit sample (unit-box strokes, as written) drawn on the pad at a size a person draws one digit. */
export function composeDigit(sample: UnitStrokes, random: Random, pad: Pad = DEFAULT_PAD): PadStroke[] {
  const b = boundsOf(sample);
  const height = pad.aspect * uniform(random, 0.45, 0.8);
  const width = (b.maxX - b.minX) * height;
  const left = 0.5 - width / 2 + uniform(random, -0.15, 0.15),
    top = (pad.aspect - height) / 2 + uniform(random, -0.05, 0.05) * pad.aspect;
  return sample.map((s) => ({
    width: pad.strokeWidth / pad.width,
    points: s.map(([x, y]) => ({ x: left + (x - b.minX) * height, y: top + (y - b.minY) * height })),
  }));
}

/**
 * The pad's export of strokes as the element makes it (the core's padRegion: the written region
 * plus a margin, WORKING_SIZE on its longest side, the pen no wider than READING_PEN_SHARE of the
 * writing's height), black ink on white, drawn with the core's rasterizer.
 */

/** padExport, and where the exported image lies on the pad (pad widths): its top-left and pixel size. */
export function padExportPlaced(
  strokes: readonly PadStroke[],
  aspect: number,
  longestSide = WORKING_SIZE,
): { image: PixelImage; left: number; top: number; pixel: number; strokes: PixelStroke[] } {
  const region = padRegion(strokes, aspect, longestSide)!;
  return {
    image: renderStrokes(region.strokes, region.width, region.height),
    left: region.left,
    top: region.top,
    pixel: region.pixel,
    strokes: region.strokes,
  };
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
