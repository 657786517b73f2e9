/**
 * Real input from the browser's own mouse and touchscreen (Playwright / DevTools protocol), and a
 * high-DPI screen: the paths the dispatched-event tests cannot prove (pointer capture, touch not
 * scrolling the page, sharp canvases at devicePixelRatio 2).
 */
import { afterEach, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import { DIGIT_DRAWINGS, type Drawing } from '../../model/testing/digit-drawings.js';
import { mount, part, rowOfRegions, stageAspect } from './support/dom.js';

afterEach(async () => {
  document.body.replaceChildren();
  document.body.style.height = '';
  await commands.setDeviceScaleFactor(0);
});

/** Draws with the real pointer: each stroke a press, moves every ~6 px, release. */
async function realDraw(el: DigitRecognizer, strokes: Drawing, pointer: 'mouse' | 'touch'): Promise<void> {
  const rect = part(el, 'canvas.ink').getBoundingClientRect();
  const region = rowOfRegions(1, stageAspect(el))[0]!;
  for (const stroke of strokes) {
    const points: [number, number][] = [];
    stroke.forEach(([u, v], i) => {
      const x = rect.left + (region.x + u * region.width) * rect.width;
      const y = rect.top + (region.y + v * region.height) * rect.height;
      const last = points[points.length - 1];
      if (i > 0 && last) {
        const steps = Math.max(1, Math.ceil(Math.hypot(x - last[0], y - last[1]) / 6));
        for (let s = 1; s < steps; s++) points.push([last[0] + ((x - last[0]) * s) / steps, last[1] + ((y - last[1]) * s) / steps]);
      }
      points.push([x, y]);
    });
    await commands.realStroke(points, pointer);
  }
}

test('a real mouse draws a 2 that is read', async () => {
  const el = await mount({ 'auto-predict': '0', mode: 'local' });
  await realDraw(el, DIGIT_DRAWINGS[2]![0]!.strokes, 'mouse');
  expect((await el.recognize()).digits).toBe('2');
});

test('a finger draws a 7 without scrolling the page', async () => {
  // A page taller than the window, scrolled a little: a touch drag would scroll it if the element let it.
  document.body.style.height = '3000px';
  const el = await mount({ 'auto-predict': '0', mode: 'local' });
  window.scrollTo(0, 10);
  const scrolled = window.scrollY;
  expect(getComputedStyle(part(el, '.stage')).touchAction).toBe('none');
  const kinds = new Set<string>();
  part(el, 'canvas.ink').addEventListener('pointermove', (e) => kinds.add(e.pointerType));
  await realDraw(el, DIGIT_DRAWINGS[7]![0]!.strokes, 'touch');
  expect([...kinds]).toEqual(['touch']);
  expect(window.scrollY).toBe(scrolled);
  expect((await el.recognize()).digits).toBe('7');
});

test('on a devicePixelRatio 2 screen the canvas has twice the pixels and the result is the same', async () => {
  await commands.setDeviceScaleFactor(2);
  expect(devicePixelRatio).toBe(2);
  const el = await mount({ 'auto-predict': '0', mode: 'local' });
  const canvas = part<HTMLCanvasElement>(el, 'canvas.ink');
  expect(canvas.width).toBe(Math.round(canvas.getBoundingClientRect().width * 2));
  await realDraw(el, DIGIT_DRAWINGS[5]![0]!.strokes, 'mouse');
  expect((await el.recognize()).digits).toBe('5');
});
