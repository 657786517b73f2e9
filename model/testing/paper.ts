/**
 * Handwriting on real paper, photographed: the number's pen strokes drawn on white, ruled, squared
 * (maths) or security-printed paper, or into the printed boxes of a form, then lit unevenly, with
 * sensor noise and a little blur, as a phone or a scanner gives it. For tests and evaluation.
 */
import type { PixelImage } from '../core/index.js';
import { paintStrokes, type PixelStroke } from '../core/index.js';
import { gaussian, uniform, type Random } from '../training/random.js';
import type { ComposedNumber, PadStroke } from './handwritten-numbers.js';

export type PaperKind = 'plain' | 'ruled' | 'squared' | 'boxes' | 'pattern';

export interface PaperOptions {
  kind: PaperKind;
  /** Image size in pixels. */
  width: number;
  height: number;
  /** Digit height in pixels. */
  digitHeight: number;
  /** Pen width in pixels. */
  penWidth: number;
  /** Sensor noise (grey levels); default 4-9 at random. */
  noise?: number;
}

export interface PaperImage {
  image: PixelImage;
  /** What a reader should answer: digits, and the text with separators (boxes: a space per empty box). */
  digits: string;
  text: string;
}

/** Thin printed lines as coverage: horizontal rules every `spacing` px, optionally vertical ones too. */
function grid(
  width: number,
  height: number,
  spacing: number,
  vertical: boolean,
  offsetY: number,
  thickness: number,
  random: Random,
): Float32Array<ArrayBuffer> {
  const lines = new Float32Array(width * height);
  const tilt = uniform(random, -0.012, 0.012); // a photo is never quite straight
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const yy = y - tilt * x - offsetY;
      const dy = Math.abs(yy - Math.round(yy / spacing) * spacing);
      let v = Math.max(0, Math.min(1, thickness / 2 + 0.5 - dy));
      if (vertical) {
        const xx = x + tilt * y;
        const dx = Math.abs(xx - Math.round(xx / spacing) * spacing);
        v = Math.max(v, Math.min(1, Math.max(0, thickness / 2 + 0.5 - dx)));
      }
      lines[y * width + x] = v;
    }
  return lines;
}

/** A cheque's security print: fine light wavy lines over the whole paper. */
function pattern(width: number, height: number, random: Random): Float32Array<ArrayBuffer> {
  const out = new Float32Array(width * height);
  const period = uniform(random, 5, 9),
    wave = uniform(random, 10, 30),
    amplitude = uniform(random, 2, 6);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const phase = (y + amplitude * Math.sin((x / wave) * 2 * Math.PI)) / period;
      out[y * width + x] = 0.5 + 0.5 * Math.cos(phase * 2 * Math.PI);
    }
  return out;
}

/** Strokes in pad units placed so that digits are `digitHeight` px tall, centred at (cx, cy). */
function placeOnPaper(number: ComposedNumber, digitHeight: number, penWidth: number, cx: number, cy: number): PixelStroke[] {
  const height = Math.max(...number.boxes.map((b) => b.height));
  const scale = digitHeight / height;
  const xs = number.strokes.flatMap((s) => s.points.map((p) => p.x)),
    ys = number.boxes.flatMap((b) => [b.y, b.y + b.height]);
  const mx = (Math.min(...xs) + Math.max(...xs)) / 2,
    my = (Math.min(...ys) + Math.max(...ys)) / 2;
  return number.strokes.map((s) => ({
    width: penWidth,
    points: s.points.map((p) => [cx + (p.x - mx) * scale, cy + (p.y - my) * scale] as const),
  }));
}

/** One digit's strokes (pad units) scaled to fit a box of the form, with a little wobble. */
function intoBox(
  strokes: readonly PadStroke[],
  box: { x: number; y: number; width: number; height: number },
  penWidth: number,
  random: Random,
): PixelStroke[] {
  const xs = strokes.flatMap((s) => s.points.map((p) => p.x)),
    ys = strokes.flatMap((s) => s.points.map((p) => p.y));
  const w = Math.max(...xs) - Math.min(...xs),
    h = Math.max(...ys) - Math.min(...ys);
  const fill = uniform(random, 0.6, 0.92);
  const scale = Math.min((box.height * fill) / h, (box.width * 0.9) / Math.max(w, 1e-6));
  const cx = box.x + box.width / 2 + uniform(random, -0.08, 0.08) * box.width,
    cy = box.y + box.height / 2 + uniform(random, -0.06, 0.06) * box.height;
  const mx = (Math.min(...xs) + Math.max(...xs)) / 2,
    my = (Math.min(...ys) + Math.max(...ys)) / 2;
  return strokes.map((s) => ({
    width: penWidth,
    points: s.points.map((p) => [cx + (p.x - mx) * scale, cy + (p.y - my) * scale] as const),
  }));
}

/** Splits a composed number's strokes into its digits (by which digit box each stroke falls in). */
function strokesPerDigit(number: ComposedNumber): PadStroke[][] {
  const out: PadStroke[][] = number.boxes.map(() => []);
  for (const s of number.strokes) {
    const cx = s.points.reduce((a, p) => a + p.x, 0) / s.points.length;
    let best = 0;
    number.boxes.forEach((b, i) => {
      if (Math.abs(b.x + b.width / 2 - cx) < Math.abs(number.boxes[best]!.x + number.boxes[best]!.width / 2 - cx)) best = i;
    });
    out[best]!.push(s);
  }
  return out;
}

/**
 * The number written on paper of the given kind and photographed. For 'boxes', each digit goes into
 * its own printed box (the number must be digits only); `emptyBoxes` more boxes stay empty at the end.
 */
export function photographOnPaper(number: ComposedNumber, options: PaperOptions, random: Random, emptyBoxes = 0): PaperImage {
  const { width, height, digitHeight, penWidth } = options;
  const ink = new Float32Array(width * height);
  let printed: Float32Array = new Float32Array(width * height);
  let text = number.text;
  const lineThickness = uniform(random, 1, 2.2);
  if (options.kind === 'ruled' || options.kind === 'squared') {
    const spacing = options.kind === 'ruled' ? digitHeight * uniform(random, 1.15, 1.5) : digitHeight * uniform(random, 0.55, 0.75);
    // The number sits on a rule (ruled paper) or anywhere on the grid (squared paper).
    const baseline = height / 2 + digitHeight / 2;
    printed = grid(width, height, spacing, options.kind === 'squared', baseline % spacing, lineThickness, random);
    paintStrokes(
      ink,
      width,
      height,
      placeOnPaper(number, digitHeight, penWidth, width / 2, height / 2 + uniform(random, -0.05, 0.03) * digitHeight),
    );
  } else if (options.kind === 'boxes') {
    const count = number.boxes.length + emptyBoxes;
    const boxHeight = digitHeight * uniform(random, 1.2, 1.45),
      boxWidth = boxHeight * uniform(random, 0.75, 0.95);
    const x0 = (width - count * boxWidth) / 2,
      y0 = (height - boxHeight) / 2;
    const boxes = Array.from({ length: count }, (_, i) => ({ x: x0 + i * boxWidth, y: y0, width: boxWidth, height: boxHeight }));
    // The comb: a rule above and below, a wall between boxes and at both ends.
    const t = lineThickness;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const inX = x >= x0 - t && x <= x0 + count * boxWidth + t,
          inY = y >= y0 - t && y <= y0 + boxHeight + t;
        const onH = inX && (Math.abs(y - y0) <= t / 2 + 0.3 || Math.abs(y - (y0 + boxHeight)) <= t / 2 + 0.3);
        const wall = Math.abs((x - x0) / boxWidth - Math.round((x - x0) / boxWidth)) * boxWidth <= t / 2 + 0.3;
        if (onH || (inY && inX && wall)) printed[y * width + x] = 1;
      }
    const perDigit = strokesPerDigit(number);
    perDigit.forEach((strokes, i) => paintStrokes(ink, width, height, intoBox(strokes, boxes[i]!, penWidth, random)));
    text = number.digits + ' '.repeat(emptyBoxes);
  } else {
    if (options.kind === 'pattern') printed = pattern(width, height, random);
    paintStrokes(
      ink,
      width,
      height,
      placeOnPaper(number, digitHeight, penWidth, width / 2 + uniform(random, -0.1, 0.1) * width, height / 2),
    );
  }
  // Paper, print and ink colours; ink over print over paper.
  const paper = [uniform(random, 205, 250), uniform(random, 200, 248), uniform(random, 190, 240)];
  const print =
    options.kind === 'pattern'
      ? [uniform(random, 170, 215), uniform(random, 190, 225), uniform(random, 185, 230)]
      : random() < 0.5
        ? [uniform(random, 120, 170), uniform(random, 150, 190), uniform(random, 200, 235)]
        : [uniform(random, 110, 160), uniform(random, 110, 160), uniform(random, 110, 160)];
  const pen =
    random() < 0.5
      ? [uniform(random, 10, 50), uniform(random, 10, 50), uniform(random, 10, 60)]
      : [uniform(random, 10, 40), uniform(random, 20, 60), uniform(random, 90, 150)];
  const noise = options.noise ?? uniform(random, 4, 9);
  const angle = uniform(random, 0, 2 * Math.PI),
    light = uniform(random, 10, 40);
  const normals = Float32Array.from({ length: 65536 }, () => noise * gaussian(random));
  const patterned = options.kind === 'pattern' ? 0.6 : 1;
  const data = new Uint8ClampedArray(width * height * 4);
  // One noise draw per pixel, from a table walked with a random stride (a full-size photo is 12 MP).
  let at = Math.floor(random() * 65536);
  const stride = 1 + 2 * Math.floor(random() * 1000);
  for (let y = 0; y < height; y++) {
    const rowShade = light * (y / height - 0.5) * Math.sin(angle);
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const shade = rowShade + light * (x / width - 0.5) * Math.cos(angle);
      const p = printed[i]! * patterned,
        v = ink[i]!;
      at = (at + stride) & 65535;
      const grain = shade + normals[at]!;
      const o = i * 4;
      data[o] = (paper[0]! * (1 - p) + print[0]! * p) * (1 - v) + pen[0]! * v + grain;
      data[o + 1] = (paper[1]! * (1 - p) + print[1]! * p) * (1 - v) + pen[1]! * v + grain;
      data[o + 2] = (paper[2]! * (1 - p) + print[2]! * p) * (1 - v) + pen[2]! * v + grain;
      data[o + 3] = 255;
    }
  }
  return { image: { width, height, data, channels: 4 }, digits: number.digits, text };
}
