/**
 * `pointer-types`: which pointers draw. A pen-only element ignores touch (a finger scrolls the
 * page instead) and the mouse; with pen and touch, touches are ignored while a pen is near (palm
 * rejection). Pressure widens the line on screen; what the model sees changes only as much as a
 * real pen's line does.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import { PEN_GONE_MS } from '../src/pointer-policy.js';
import { pressureWidth, readingStrokes, READING_PRESSURE_SHARE, type Stroke } from '../src/strokes.js';
import { READING_PEN_SHARE } from '../../model/core/index.js';
import { draw, mount, part, rowOfRegions, stageAspect, type PointerOptions } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
  document.body.style.height = '';
  window.scrollTo(0, 0);
});

function frames(n = 2): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  });
}

function inkPixels(el: DigitRecognizer): number {
  const canvas = part<HTMLCanvasElement>(el, 'canvas.ink');
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count++;
  return count;
}

function drawSeven(el: DigitRecognizer, options: PointerOptions): void {
  draw(el, [DIGIT_DRAWINGS[7]![0]!.strokes], rowOfRegions(1, stageAspect(el)), options);
}

/** A pen hovering over the element (no button pressed), as active styluses report before they touch. */
function penHovers(el: DigitRecognizer): void {
  const canvas = part(el, 'canvas.ink');
  const rect = canvas.getBoundingClientRect();
  for (const type of ['pointerover', 'pointerenter', 'pointermove']) {
    canvas.dispatchEvent(
      new PointerEvent(type, {
        bubbles: type !== 'pointerenter',
        composed: true,
        pointerId: 9,
        pointerType: 'pen',
        isPrimary: true,
        buttons: 0,
        button: -1,
        clientX: rect.left + 20,
        clientY: rect.top + 20,
      }),
    );
  }
}

function penLeaves(el: DigitRecognizer): void {
  const canvas = part(el, 'canvas.ink');
  canvas.dispatchEvent(new PointerEvent('pointerleave', { composed: true, pointerId: 9, pointerType: 'pen', isPrimary: true, buttons: 0 }));
  canvas.dispatchEvent(
    new PointerEvent('pointerout', { bubbles: true, composed: true, pointerId: 9, pointerType: 'pen', isPrimary: true, buttons: 0 }),
  );
}

describe('pointer-types="pen"', () => {
  test('touch and mouse draw nothing; a pen draws and is read', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'pointer-types': 'pen' });
    expect(part(el, '.placeholder').textContent).toBe('Write with a pen here');
    expect(part(el, '.instructions').textContent).toContain('with your pen,');
    drawSeven(el, { pointerType: 'touch', pointerId: 3 });
    drawSeven(el, { pointerType: 'mouse', pointerId: 1 });
    await frames();
    expect(inkPixels(el)).toBe(0);
    expect(part<HTMLButtonElement>(el, 'button.predict').disabled).toBe(true);
    drawSeven(el, { pointerType: 'pen' });
    await frames();
    expect(inkPixels(el)).toBeGreaterThan(0);
    expect((await el.recognize()).digits).toBe('7');
  });

  test('a real finger dragged over the pad scrolls the page and draws nothing', async () => {
    document.body.style.height = '3000px';
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'pointer-types': 'pen' });
    window.scrollTo(0, 300);
    await frames();
    expect(getComputedStyle(part(el, '.stage')).touchAction).toBe('manipulation');
    const rect = part(el, 'canvas.ink').getBoundingClientRect();
    const x = rect.left + rect.width / 2;
    // A finger moving up the pad: the page scrolls down.
    const points: [number, number][] = Array.from({ length: 16 }, (_, i) => [x, rect.bottom - 20 - i * 12]);
    const before = window.scrollY;
    await commands.realStroke(points, 'touch');
    await frames(3);
    expect(window.scrollY).toBeGreaterThan(before + 50);
    expect(inkPixels(el)).toBe(0);
  });

  test('without the attribute, every pointer draws and touch does not scroll', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    expect(getComputedStyle(part(el, '.stage')).touchAction).toBe('none');
    drawSeven(el, { pointerType: 'touch', pointerId: 3 });
    await frames();
    expect(inkPixels(el)).toBeGreaterThan(0);
  });
});

describe('pointer-types="pen touch": palm rejection', () => {
  test('touches are ignored while a pen hovers, and draw again once it has gone', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'pointer-types': 'pen touch' });
    penHovers(el);
    drawSeven(el, { pointerType: 'touch', pointerId: 3 });
    await frames();
    expect(inkPixels(el)).toBe(0);
    penLeaves(el);
    drawSeven(el, { pointerType: 'touch', pointerId: 3 });
    await frames();
    expect(inkPixels(el)).toBeGreaterThan(0);
    expect((await el.recognize()).digits).toBe('7');
  });

  test('a pen that reports no leaving is taken to have gone after a second without events', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'pointer-types': 'pen touch' });
    penHovers(el);
    drawSeven(el, { pointerType: 'touch', pointerId: 3 });
    await frames();
    expect(inkPixels(el)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, PEN_GONE_MS + 100));
    drawSeven(el, { pointerType: 'touch', pointerId: 3 });
    await frames();
    expect(inkPixels(el)).toBeGreaterThan(0);
  });

  test('a touch stroke under way when the pen comes near was the palm: it is taken back', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'pointer-types': 'pen touch' });
    const canvas = part(el, 'canvas.ink');
    const rect = canvas.getBoundingClientRect();
    const touch = (type: string, dx: number) =>
      canvas.dispatchEvent(
        new PointerEvent(type, {
          bubbles: true,
          composed: true,
          cancelable: true,
          pointerId: 3,
          pointerType: 'touch',
          isPrimary: true,
          button: type === 'pointermove' ? -1 : 0,
          buttons: 1,
          clientX: rect.left + 300 + dx,
          clientY: rect.top + 200,
        }),
      );
    touch('pointerdown', 0);
    touch('pointermove', 30);
    touch('pointermove', 60);
    await frames();
    expect(inkPixels(el)).toBeGreaterThan(0);
    penHovers(el);
    await frames();
    expect(inkPixels(el)).toBe(0);
    // The palm's pointerup changes nothing; the pen writes.
    touch('pointerup', 60);
    penLeaves(el);
    drawSeven(el, { pointerType: 'pen' });
    expect((await el.recognize()).digits).toBe('7');
    expect(el.result!.segments).toHaveLength(1);
  });
});

describe('pressure', () => {
  const pressed = (along: number) => 0.15 + 0.8 * Math.sin(Math.PI * along);

  test('a pen pressed harder draws a wider line; the digit read is the same', async () => {
    const flat = await mount({ 'auto-predict': '0', mode: 'local', 'stroke-width': '8' });
    drawSeven(flat, { pointerType: 'pen', pressure: () => 0.5 });
    const varied = await mount({ 'auto-predict': '0', mode: 'local', 'stroke-width': '8' });
    drawSeven(varied, { pointerType: 'pen', pressure: pressed });
    await frames();
    // The middle of each stroke is pressed hard (0.95: 1.36 times as wide), the ends lightly: more ink overall.
    expect(inkPixels(varied)).toBeGreaterThan(inkPixels(flat) * 1.1);
    const [a, b] = [await flat.recognize(), await varied.recognize()];
    expect([a.digits, b.digits]).toEqual(['7', '7']);
  });

  test('what the model sees varies only as a real pen does: within a fifth of the width, never past the reading pen', () => {
    const points = Array.from({ length: 21 }, (_, i) => ({ x: 0.1 + i * 0.01, y: 0.1 + (i % 5) * 0.05, pressure: i / 20 }));
    const [read] = readingStrokes([{ points, width: 0.01 } satisfies Stroke]);
    const widths = read!.points.map((p) => read!.width * pressureWidth(p.pressure));
    expect(Math.max(...widths) / Math.min(...widths)).toBeLessThanOrEqual(
      (1 + 0.4 * READING_PRESSURE_SHARE * 2) / (1 - 0.4 * READING_PRESSURE_SHARE * 2) + 1e-9,
    );
    // On screen: 0.6 to 1.4 of the width; read: 0.8 to 1.2.
    expect(Math.min(...widths)).toBeCloseTo(0.01 * 0.8, 6);
    expect(Math.max(...widths)).toBeCloseTo(0.01 * 1.2, 6);
    // A thick pen is capped by its widest point, not its nominal width.
    const [thick] = readingStrokes([{ points, width: 1 }]);
    const pen = READING_PEN_SHARE * 0.2;
    expect(Math.max(...thick!.points.map((p) => thick!.width * pressureWidth(p.pressure)))).toBeCloseTo(pen, 9);
  });
});
