/**
 * The "not one digit" class (the classifier's 11th output), generated from the training data. The
 * number reader over-segments ink and asks the classifier about every candidate: a piece of a digit,
 * two digits taken as one, a digit with a bit of its neighbour, a separator, a speck, a fragment of a
 * ruled line or box, a patch of texture. Each must score low as every digit, so the reader prefers
 * the cut that gives whole digits. Candidates that still look like one digit (the stem of a 4 is a
 * fine 1, a comma blown up to the digit field is a short 1) are dropped by the caller with a
 * reference model, not labelled "reject": those are told apart by their size and place in the line.
 */
import { uniform, type Random } from '../random.js';
import { paintStrokes, type PixelStroke } from '../../core/index.js';
import { placeStrokes, randomStyle, type UnitStrokes } from './stroke-digits.js';

export type RejectKind =
  'stroke-subset' | 'truncated' | 'cut' | 'pair' | 'digit-and-piece' | 'separator' | 'speck' | 'line-fragment' | 'texture';

/** A canvas of ink coverage (0 paper .. 1 ink) to compose candidates on. */
export class InkCanvas {
  readonly ink: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.ink = new Float32Array(width * height);
  }

  strokes(strokes: readonly PixelStroke[], dx = 0, dy = 0): void {
    paintStrokes(
      this.ink,
      this.width,
      this.height,
      dx === 0 && dy === 0
        ? strokes
        : strokes.map((s) => ({ width: s.width, points: s.points.map(([x, y]) => [x + dx, y + dy] as const) })),
    );
  }

  /** A 28x28 byte digit (0..255 ink) scaled to `side` pixels at (x, y), bilinear. */
  mnist(digit: ArrayLike<number>, x: number, y: number, side: number): void {
    const x0 = Math.max(0, Math.floor(x)),
      x1 = Math.min(this.width, Math.ceil(x + side));
    const y0 = Math.max(0, Math.floor(y)),
      y1 = Math.min(this.height, Math.ceil(y + side));
    for (let py = y0; py < y1; py++)
      for (let px = x0; px < x1; px++) {
        const v = sample28(digit, ((px + 0.5 - x) / side) * 28 - 0.5, ((py + 0.5 - y) / side) * 28 - 0.5);
        const at = py * this.width + px;
        if (v > this.ink[at]!) this.ink[at] = v;
      }
  }

  /** Erases everything on one side of the line through (x, y) with the given direction. */
  cut(x: number, y: number, dx: number, dy: number, keepLeft: boolean): void {
    for (let py = 0; py < this.height; py++)
      for (let px = 0; px < this.width; px++) {
        const side = (px + 0.5 - x) * dy - (py + 0.5 - y) * dx;
        if (side > 0 === keepLeft) this.ink[py * this.width + px] = 0;
      }
  }
}

function sample28(digit: ArrayLike<number>, x: number, y: number): number {
  const x0 = Math.floor(x),
    y0 = Math.floor(y);
  const fx = x - x0,
    fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx > 27 || yy > 27 ? 0 : digit[yy * 28 + xx]! / 255);
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

/** Where the digits for the digit-derived kinds come from. */
export interface DigitSource {
  /** A real writer's digit in unit-box strokes. */
  strokeDigit(random: Random): UnitStrokes;
  /** A 28x28 MNIST training digit. */
  mnistDigit(random: Random): ArrayLike<number>;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Arc-length prefix or suffix of a stroke. */
function truncate(points: [number, number][], fraction: number, fromStart: boolean): [number, number][] {
  const lengths = [0];
  for (let i = 1; i < points.length; i++)
    lengths.push(lengths[i - 1]! + Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1]));
  const total = lengths[lengths.length - 1]!;
  const out = points.filter((_, i) => (fromStart ? lengths[i]! <= fraction * total : lengths[i]! >= (1 - fraction) * total));
  return out.length >= 2 ? out : points.slice(0, 2);
}

function canvasFor(strokes: PixelStroke[], width: number, height: number): InkCanvas {
  const canvas = new InkCanvas(width, height);
  canvas.strokes(strokes);
  return canvas;
}

/** One stroke digit drawn with a random style, on its own canvas. */
function drawnDigit(source: DigitSource, random: Random, strokes = source.strokeDigit(random)) {
  return placeStrokes(strokes, randomStyle(random, [48, 96]));
}

/** One candidate that is not one digit, as an ink canvas. */
export function makeReject(kind: RejectKind, source: DigitSource, random: Random): InkCanvas {
  switch (kind) {
    case 'stroke-subset': {
      let strokes = source.strokeDigit(random);
      for (let tries = 0; strokes.length < 2 && tries < 20; tries++) strokes = source.strokeDigit(random);
      if (strokes.length < 2) return makeReject('truncated', source, random);
      const keep = strokes.filter(() => random() < 0.5);
      const subset = keep.length === 0 || keep.length === strokes.length ? [strokes[Math.floor(random() * strokes.length)]!] : keep;
      const placed = drawnDigit(source, random, subset);
      return canvasFor(placed.strokes, placed.width, placed.height);
    }
    case 'truncated': {
      const strokes = source.strokeDigit(random);
      const longest = strokes.reduce((a, b) => (b.length > a.length ? b : a));
      const cut = strokes
        .filter((s) => s === longest || random() < 0.5)
        .map((s) => (s === longest ? truncate(s, uniform(random, 0.25, 0.65), random() < 0.5) : s));
      const placed = drawnDigit(source, random, cut);
      return canvasFor(placed.strokes, placed.width, placed.height);
    }
    case 'cut': {
      let canvas: InkCanvas;
      if (random() < 0.5) {
        const placed = drawnDigit(source, random);
        canvas = canvasFor(placed.strokes, placed.width, placed.height);
      } else {
        const side = Math.round(uniform(random, 48, 84));
        canvas = new InkCanvas(side, side);
        canvas.mnist(source.mnistDigit(random), 0, 0, side);
      }
      // A cut through the digit, up to 25 degrees from vertical, keeping 25-75% of it.
      const tilt = uniform(random, -0.45, 0.45);
      canvas.cut(canvas.width * uniform(random, 0.28, 0.72), canvas.height / 2, tilt, 1, random() < 0.5);
      return canvas;
    }
    case 'pair':
    case 'digit-and-piece': {
      const useStrokes = random() < 0.6;
      const height = uniform(random, 48, 84);
      const first = useStrokes ? drawnDigit(source, random) : undefined;
      const second = useStrokes ? drawnDigit(source, random) : undefined;
      const w1 = first ? first.width * (height / first.height) : height * 0.8;
      const w2 = second ? second.width * (height / second.height) : height * 0.8;
      // From overlapping by a third to a small gap: how neighbours end up in one candidate.
      const gap = uniform(random, -0.35, 0.08) * Math.min(w1, w2);
      const dy = uniform(random, -0.12, 0.12) * height;
      const width = Math.ceil(w1 + w2 + gap + 8),
        canvasHeight = Math.ceil(height * 1.3 + 8);
      const canvas = new InkCanvas(width, canvasHeight);
      const top = 4 + 0.15 * height;
      if (first && second) {
        const s1 = height / first.height,
          s2 = height / second.height;
        canvas.strokes(
          first.strokes.map((s) => ({ width: s.width * s1, points: s.points.map(([x, y]) => [x * s1 + 4, y * s1 + top] as const) })),
        );
        canvas.strokes(
          second.strokes.map((s) => ({
            width: s.width * s2,
            points: s.points.map(([x, y]) => [x * s2 + 4 + w1 + gap, y * s2 + top + dy] as const),
          })),
        );
      } else {
        canvas.mnist(source.mnistDigit(random), 4 - 0.1 * height, top - 0.15 * height, height * 1.4);
        canvas.mnist(source.mnistDigit(random), 4 + w1 + gap - 0.1 * height, top + dy - 0.15 * height, height * 1.4);
      }
      if (kind === 'digit-and-piece') {
        // Keep the first digit and 20-50% of the second (or the mirror case).
        const keepFirst = random() < 0.5;
        const x = keepFirst ? 4 + w1 + gap + uniform(random, 0.2, 0.5) * w2 : 4 + (1 - uniform(random, 0.2, 0.5)) * w1;
        canvas.cut(x, canvasHeight / 2, uniform(random, -0.3, 0.3), 1, !keepFirst);
      }
      return canvas;
    }
    case 'separator':
      return separator(random);
    case 'speck': {
      const size = uniform(random, 6, 20);
      const canvas = new InkCanvas(Math.ceil(size * 2 + 8), Math.ceil(size * 2 + 8));
      const points: [number, number][] = Array.from({ length: 2 + Math.floor(random() * 4) }, () => [
        uniform(random, 4, 4 + size),
        uniform(random, 4, 4 + size),
      ]);
      canvas.strokes([{ points, width: uniform(random, 1.5, 5) }]);
      return canvas;
    }
    case 'line-fragment':
      return lineFragment(random);
    case 'texture':
      return texture(random);
  }
}

/** A dot, comma, dash, equals sign or underscore, in pen strokes. */
function separator(random: Random): InkCanvas {
  const unit = uniform(random, 30, 70); // the height of the digits around it
  const width = unit * uniform(random, 0.05, 0.16);
  const canvas = new InkCanvas(Math.ceil(unit * 1.2), Math.ceil(unit * 1.2));
  const cx = unit * 0.6,
    cy = unit * 0.6;
  const kind = pick(random, ['dot', 'comma', 'dash', 'dash', 'equals', 'tilde'] as const);
  const jitter = () => uniform(random, -0.02, 0.02) * unit;
  if (kind === 'dot') {
    const r = uniform(random, 0, 0.04) * unit;
    canvas.strokes([
      {
        points: [
          [cx - r, cy + jitter()],
          [cx + r, cy + jitter()],
          [cx, cy + r],
        ],
        width: width * uniform(random, 1, 1.8),
      },
    ]);
  } else if (kind === 'comma') {
    canvas.strokes([
      {
        points: [
          [cx, cy],
          [cx + jitter(), cy + 0.08 * unit],
          [cx - 0.06 * unit, cy + 0.2 * unit],
        ],
        width,
      },
    ]);
  } else if (kind === 'dash') {
    const half = uniform(random, 0.12, 0.35) * unit;
    canvas.strokes([
      {
        points: [
          [cx - half, cy + jitter()],
          [cx, cy + jitter()],
          [cx + half, cy + jitter()],
        ],
        width,
      },
    ]);
  } else if (kind === 'equals') {
    const half = uniform(random, 0.12, 0.3) * unit,
      gap = uniform(random, 0.08, 0.16) * unit;
    canvas.strokes([
      {
        points: [
          [cx - half, cy - gap],
          [cx + half, cy - gap + jitter()],
        ],
        width,
      },
      {
        points: [
          [cx - half, cy + gap],
          [cx + half, cy + gap + jitter()],
        ],
        width,
      },
    ]);
  } else {
    const half = uniform(random, 0.15, 0.3) * unit;
    canvas.strokes([
      {
        points: [
          [cx - half, cy],
          [cx - half / 2, cy - 0.05 * unit],
          [cx, cy],
          [cx + half / 2, cy + 0.05 * unit],
          [cx + half, cy],
        ],
        width,
      },
    ]);
  }
  return canvas;
}

/** A corner, a T or a cross of a ruled line or a printed box: never a whole digit. */
function lineFragment(random: Random): InkCanvas {
  const side = uniform(random, 40, 90);
  const canvas = new InkCanvas(Math.ceil(side + 8), Math.ceil(side + 8));
  const width = uniform(random, 1, 5);
  const a = 4,
    b = 4 + side,
    m = 4 + side * uniform(random, 0.3, 0.7);
  const kind = pick(random, ['corner', 'tee', 'cross', 'long', 'ticks'] as const);
  const strokes: PixelStroke[] =
    kind === 'corner'
      ? [
          {
            points: [
              [a, a],
              [a, b],
              [b, b],
            ],
            width,
          },
        ]
      : kind === 'tee'
        ? [
            {
              points: [
                [a, a],
                [b, a],
              ],
              width,
            },
            {
              points: [
                [m, a],
                [m, b],
              ],
              width,
            },
          ]
        : kind === 'cross'
          ? [
              {
                points: [
                  [a, m],
                  [b, m],
                ],
                width,
              },
              {
                points: [
                  [m, a],
                  [m, b],
                ],
                width,
              },
            ]
          : kind === 'long'
            ? [
                {
                  points: [
                    [a, m],
                    [b, m + uniform(random, -3, 3)],
                  ],
                  width,
                },
              ]
            : [
                {
                  points: [
                    [a, b],
                    [b, b],
                  ],
                  width,
                },
                ...[0.2, 0.5, 0.8].map((f): PixelStroke => ({
                  points: [
                    [a + f * side, b],
                    [a + f * side, b - side * 0.3],
                  ],
                  width,
                })),
              ];
  canvas.strokes(strokes);
  return canvas;
}

/** Hatching, a noise field, a checkerboard or a grid of dots: ink that is no digit at all. */
function texture(random: Random): InkCanvas {
  const side = Math.ceil(uniform(random, 40, 90));
  const canvas = new InkCanvas(side, side);
  const kind = pick(random, ['hatching', 'noise', 'checker', 'dots', 'scribble'] as const);
  if (kind === 'hatching') {
    const spacing = uniform(random, 4, 12),
      width = uniform(random, 1, 3),
      angle = uniform(random, 0, Math.PI);
    const dx = Math.cos(angle),
      dy = Math.sin(angle);
    const strokes: PixelStroke[] = [];
    for (let o = -side; o < side * 1.5; o += spacing)
      strokes.push({
        points: [
          [side / 2 + o * -dy - dx * side, side / 2 + o * dx - dy * side],
          [side / 2 + o * -dy + dx * side, side / 2 + o * dx + dy * side],
        ],
        width,
      });
    canvas.strokes(strokes);
  } else if (kind === 'noise') {
    const density = uniform(random, 0.1, 0.5);
    for (let i = 0; i < canvas.ink.length; i++) canvas.ink[i] = random() < density ? 1 : 0;
  } else if (kind === 'checker') {
    const cell = Math.max(1, Math.round(uniform(random, 1, 8)));
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) canvas.ink[y * side + x] = (Math.floor(x / cell) + Math.floor(y / cell)) % 2;
  } else if (kind === 'dots') {
    const spacing = uniform(random, 5, 14),
      width = uniform(random, 1.5, 4);
    const strokes: PixelStroke[] = [];
    for (let y = spacing / 2; y < side; y += spacing)
      for (let x = spacing / 2; x < side; x += spacing) strokes.push({ points: [[x, y]], width });
    canvas.strokes(strokes);
  } else {
    const points: [number, number][] = Array.from({ length: 12 + Math.floor(random() * 20) }, () => [
      uniform(random, 2, side - 2),
      uniform(random, 2, side - 2),
    ]);
    canvas.strokes([{ points, width: uniform(random, 1.5, 4) }]);
  }
  return canvas;
}

/** The mix of kinds in a batch of rejects (weights). */
export const REJECT_MIX: Readonly<Record<RejectKind, number>> = {
  'stroke-subset': 1,
  truncated: 1.5,
  cut: 2.5,
  pair: 2.5,
  'digit-and-piece': 2,
  separator: 1.2,
  speck: 0.6,
  'line-fragment': 0.8,
  texture: 0.8,
};

export function randomRejectKind(random: Random): RejectKind {
  const entries = Object.entries(REJECT_MIX) as [RejectKind, number][];
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [kind, weight] of entries) {
    r -= weight;
    if (r <= 0) return kind;
  }
  return entries[0]![0];
}
