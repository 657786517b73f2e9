/** Helpers for the browser tests: mounting the element, drawing on it with pointer events, waiting for events. */
import '../../src/index.js';
import type { DigitRecognizer } from '../../src/digit-recognizer.js';
import type { Drawing } from '../../../model/testing/digit-drawings.js';

/** The test server's routes (component/test/support/test-server.ts). */
export const TEST_MODEL_URL = '/__test/model/model.json';
export const TEST_ENDPOINT = '/__test/predict';
/** Nothing listens on port 9 (discard) here: fetch fails as when the network is down. */
export const UNREACHABLE_ENDPOINT = 'http://127.0.0.1:9/predict';

export async function mount(attributes: Record<string, string> = {}): Promise<DigitRecognizer> {
  const el = document.createElement('digit-recognizer');
  el.setAttribute('model-url', TEST_MODEL_URL);
  el.setAttribute('endpoint', TEST_ENDPOINT);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  await el.updateComplete;
  // Let the ResizeObserver size the canvases.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return el;
}

export function part<T extends Element = HTMLElement>(el: DigitRecognizer, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the element`);
  return found;
}

export function maybePart<T extends Element = HTMLElement>(el: DigitRecognizer, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}

/** Region of the drawing area (fractions of its width and height) to draw a digit into. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Boxes for `count` digits side by side across a pad of width/height `aspect`: each 3:4 (as
 * handwriting), 70% of the pad tall, smaller when the row would not fit.
 */
export function rowOfRegions(count: number, aspect: number): Region[] {
  let height = 0.7;
  // Width fraction of a square box as tall as `height`.
  let square = height / aspect;
  const maxSquare = 0.9 / count;
  if (square > maxSquare) {
    height *= maxSquare / square;
    square = maxSquare;
  }
  const boxWidth = square * 0.75;
  const gap = square * 0.25;
  const total = count * boxWidth + (count - 1) * gap;
  return Array.from({ length: count }, (_, i) => ({
    x: (1 - total) / 2 + i * (boxWidth + gap),
    y: (1 - height) / 2,
    width: boxWidth,
    height,
  }));
}

function pointerEvent(type: string, x: number, y: number, init: PointerEventInit = {}): PointerEvent {
  return new PointerEvent(type, {
    bubbles: true,
    composed: true,
    cancelable: true,
    pointerId: 7,
    pointerType: 'pen',
    isPrimary: true,
    button: type === 'pointermove' ? -1 : 0,
    buttons: type === 'pointerup' ? 0 : 1,
    pressure: type === 'pointerup' ? 0 : 0.5,
    clientX: x,
    clientY: y,
    ...init,
  });
}

/** How strokes are dispatched: the pointer's kind and id, and its pressure along the stroke (0..1 of its length). */
export interface PointerOptions {
  pointerType?: 'pen' | 'touch' | 'mouse';
  pointerId?: number;
  pressure?: (along: number) => number;
}

/** One stroke, in client pixels, as dispatched Pointer Events: pointerdown, a pointermove every few pixels, pointerup. */
export function dispatchStroke(target: Element, points: readonly (readonly [number, number])[], options: PointerOptions = {}): void {
  const init = (along: number): PointerEventInit => ({
    ...(options.pointerType ? { pointerType: options.pointerType } : {}),
    ...(options.pointerId ? { pointerId: options.pointerId } : {}),
    ...(options.pressure ? { pressure: options.pressure(along) } : {}),
  });
  const dense: [number, number][] = [[points[0]![0], points[0]![1]]];
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 4));
    for (let s = 1; s <= steps; s++) dense.push([ax + ((bx - ax) * s) / steps, ay + ((by - ay) * s) / steps]);
  }
  const [x0, y0] = dense[0]!;
  target.dispatchEvent(pointerEvent('pointerdown', x0, y0, init(0)));
  for (let i = 1; i < dense.length; i++)
    target.dispatchEvent(pointerEvent('pointermove', dense[i]![0], dense[i]![1], init(i / (dense.length - 1))));
  const [xn, yn] = dense[dense.length - 1]!;
  target.dispatchEvent(pointerEvent('pointerup', xn, yn, { ...init(1), ...(options.pressure ? { pressure: 0 } : {}) }));
}

/** Draws `drawings` (unit-box strokes) into `regions` (fractions of the canvas) on any canvas: the pad's or a box's. */
export function drawOn(canvas: HTMLCanvasElement, drawings: Drawing[], regions: Region[], options: PointerOptions = {}): void {
  const rect = canvas.getBoundingClientRect();
  drawings.forEach((strokes, d) => {
    const region = regions[d]!;
    const at = ([u, v]: [number, number]) =>
      [rect.left + (region.x + u * region.width) * rect.width, rect.top + (region.y + v * region.height) * rect.height] as const;
    for (const stroke of strokes) dispatchStroke(canvas, stroke.map(at), options);
  });
}

/**
 * Draws with dispatched Pointer Events, as a pen would: pointerdown, a pointermove every few
 * pixels along each polyline, pointerup, per stroke.
 */
export function draw(el: DigitRecognizer, drawings: Drawing[], regions: Region[], options: PointerOptions = {}): void {
  drawOn(part<HTMLCanvasElement>(el, 'canvas.ink'), drawings, regions, options);
}

/** Replays strokes given in pad widths (model/testing/handwritten-numbers.ts) on the element's pad, with the pad's own stroke width. */
export function drawPadStrokes(
  el: DigitRecognizer,
  strokes: readonly { points: readonly { x: number; y: number }[] }[],
  options: PointerOptions = {},
): void {
  const canvas = part<HTMLCanvasElement>(el, 'canvas.ink');
  const rect = canvas.getBoundingClientRect();
  for (const stroke of strokes)
    dispatchStroke(
      canvas,
      stroke.points.map((p) => [rect.left + p.x * rect.width, rect.top + p.y * rect.width] as const),
      options,
    );
}

/** A square region in the middle of a box of the given width / height, for a digit written in it. */
export function regionInCell(cellAspect: number, share = 0.66): Region {
  const height = share;
  const width = Math.min(0.9, (share / cellAspect) * 1);
  return { x: (1 - width) / 2, y: (1 - height) / 2, width, height };
}

/** Resolves with the next `type` event from `target`, or rejects after `ms`. */
export function nextEvent<T = unknown>(target: EventTarget, type: string, ms = 30_000): Promise<CustomEvent<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${ms} ms`)), ms);
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as CustomEvent<T>);
      },
      { once: true },
    );
  });
}

export function base64ToFile(base64: string, name: string, type: string): File {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new File([bytes], name, { type });
}

export function stageAspect(el: DigitRecognizer): number {
  const rect = part(el, '.stage').getBoundingClientRect();
  return rect.width / rect.height;
}
