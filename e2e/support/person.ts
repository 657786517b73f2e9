/**
 * What a person does with <digit-recognizer>: write digits on the pad with the real mouse or a
 * finger (the browser's own input, not dispatched events), upload a photo through the file
 * picker, and read the answer the element shows.
 */
import type { Locator, Page } from 'playwright-core';
import { DIGIT_DRAWINGS, type Drawing } from '../../model/testing/digit-drawings.js';

interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Boxes (fractions of the pad) for `count` digits side by side on a pad `aspect` times as wide as
 * tall: each 3:4 like handwriting, 70% of the pad's height, smaller when the row would not fit.
 */
function rowOfRegions(count: number, aspect: number): Region[] {
  let height = 0.7;
  let width = (height * 0.75) / aspect;
  const gap = width / 3;
  const fit = 0.9 / (count * width + (count - 1) * gap);
  if (fit < 1) {
    height *= fit;
    width *= fit;
  }
  const step = width * (4 / 3);
  const total = count * width + (count - 1) * (step - width);
  return Array.from({ length: count }, (_, i) => ({ x: (1 - total) / 2 + i * step, y: (1 - height) / 2, width, height }));
}

/** The first way of drawing each digit in the element's stroke fixtures. */
function drawingsOf(digits: string): Drawing[] {
  return [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);
}

export type Pointer = 'mouse' | 'touch';

/**
 * Points every few CSS pixels along a polyline, so the pad sees a hand's stream of moves. (Each
 * move is a round trip to the browser, slow while TensorFlow.js loads: 8 px keeps curves round
 * without dragging the tests out.)
 */
function densify(points: { x: number; y: number }[], spacing = 8): { x: number; y: number }[] {
  const out = [points[0]!];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / spacing));
    for (let s = 1; s <= steps; s++) out.push({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
  }
  return out;
}

/** Writes `digits` ("42") on the element's drawing pad, stroke by stroke, with the mouse or a finger. */
export async function writeDigits(page: Page, recognizer: Locator, digits: string, pointer: Pointer = 'mouse'): Promise<void> {
  const pad = recognizer.locator('canvas.ink');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('the drawing pad is not on screen');
  const regions = rowOfRegions(digits.length, box.width / box.height);
  const strokes = drawingsOf(digits).flatMap((drawing, d) => {
    const r = regions[d]!;
    return drawing.map((stroke) =>
      densify(stroke.map(([u, v]) => ({ x: box.x + (r.x + u * r.width) * box.width, y: box.y + (r.y + v * r.height) * box.height }))),
    );
  });
  await replay(page, strokes, pointer);
}

/** Writes one digit of `digits` in each of the element's boxes (`cells`), from the first, with the mouse or a finger. */
export async function writeInBoxes(page: Page, recognizer: Locator, digits: string, pointer: Pointer = 'mouse'): Promise<void> {
  const cells = recognizer.locator('.cell');
  await cells.first().scrollIntoViewIfNeeded();
  const strokes: { x: number; y: number }[][] = [];
  for (const [i, drawing] of drawingsOf(digits).entries()) {
    const box = await cells.nth(i).boundingBox();
    if (!box) throw new Error(`box ${i + 1} is not on screen`);
    // The digit in the middle of its box, as people write in printed boxes.
    const r = { x: 0.2, y: 0.14, width: 0.6, height: 0.72 };
    strokes.push(
      ...drawing.map((stroke) =>
        densify(
          stroke.map(([u, v]) => ({ x: box.x + (r.x + u * r.width) * box.width, y: box.y + (r.y + v * r.height) * box.height })),
          4,
        ),
      ),
    );
  }
  await replay(page, strokes, pointer);
}

/** Strokes (page CSS pixels) by the browser's own mouse or touchscreen. */
async function replay(page: Page, strokes: { x: number; y: number }[][], pointer: Pointer): Promise<void> {
  if (pointer === 'mouse') {
    for (const stroke of strokes) {
      await page.mouse.move(stroke[0]!.x, stroke[0]!.y);
      await page.mouse.down();
      for (const p of stroke.slice(1)) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    }
    return;
  }
  // Playwright's touchscreen only taps; a finger dragging across the pad goes through DevTools.
  const cdp = await page.context().newCDPSession(page);
  try {
    for (const stroke of strokes) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [stroke[0]!] });
      for (const p of stroke.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    }
  } finally {
    await cdp.detach();
  }
}

/** Picks `file` with the element's "Upload image" button, as a person does in the file dialog. */
export async function uploadFile(page: Page, recognizer: Locator, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await recognizer.getByRole('button', { name: 'Upload image' }).click();
  await (await chooser).setFiles(file);
}

export interface ShownResult {
  /** The digits as shown ("No digit found" when none). */
  digits: string;
  /** The line saying where the digits were read, e.g. "Read on this device · 41 ms". */
  sourceText: string;
  source: string | null;
}

/** Waits for the element to show a result (reading can include loading the model) and reads it off the screen. */
export async function readResult(recognizer: Locator, timeout = 60_000): Promise<ShownResult> {
  const digits = recognizer.locator('[part="digits"]');
  await digits.waitFor({ timeout });
  const source = recognizer.locator('[part="source"]');
  return {
    digits: (await digits.innerText()).trim(),
    sourceText: (await source.innerText()).trim(),
    source: await source.getAttribute('data-source'),
  };
}
