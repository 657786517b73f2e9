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
  return Array.from({ length: count }, (_, i) => ({ x: (1 - total) / 2 + i * (boxWidth + gap), y: (1 - height) / 2, width: boxWidth, height }));
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

/**
 * Draws with dispatched Pointer Events, as a pen would: pointerdown, a pointermove every few
 * pixels along each polyline, pointerup, per stroke.
 */
export function draw(el: DigitRecognizer, drawings: Drawing[], regions: Region[]): void {
  const canvas = part<HTMLCanvasElement>(el, 'canvas.ink');
  const rect = canvas.getBoundingClientRect();
  drawings.forEach((strokes, d) => {
    const region = regions[d]!;
    const at = ([u, v]: [number, number]) => [rect.left + (region.x + u * region.width) * rect.width, rect.top + (region.y + v * region.height) * rect.height] as const;
    for (const stroke of strokes) {
      const [x0, y0] = at(stroke[0]!);
      canvas.dispatchEvent(pointerEvent('pointerdown', x0, y0));
      for (let i = 1; i < stroke.length; i++) {
        const [ax, ay] = at(stroke[i - 1]!);
        const [bx, by] = at(stroke[i]!);
        const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 4));
        for (let s = 1; s <= steps; s++) canvas.dispatchEvent(pointerEvent('pointermove', ax + ((bx - ax) * s) / steps, ay + ((by - ay) * s) / steps));
      }
      const [xn, yn] = at(stroke[stroke.length - 1]!);
      canvas.dispatchEvent(pointerEvent('pointerup', xn, yn));
    }
  });
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
