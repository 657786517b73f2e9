/**
 * Drawing with pointer events and reading the digits on the device (WebGL in headless Chromium,
 * through SwiftShader), with the shipped model.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { DigitRecognizedDetail } from '../src/events.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { draw, mount, nextEvent, part, rowOfRegions, stageAspect } from './support/dom.js';
import { digitSegments } from '../../model/core/index.js';

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawing one digit', () => {
  for (const [digit, variants] of Object.entries(DIGIT_DRAWINGS)) {
    for (const variant of variants) {
      test(`${digit} (${variant.name}) is read on the device${variant.mayBeUnsure ? ` (maybe "not sure": ${variant.mayBeUnsure})` : ''}`, async () => {
        const el = await mount({ 'auto-predict': '0', mode: 'local' });
        draw(el, [variant.strokes], rowOfRegions(1, stageAspect(el)));
        await el.updateComplete;
        const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
        part<HTMLButtonElement>(el, 'button.predict').click();
        const { detail } = await recognized;
        expect(detail.source).toBe('local');
        const probabilities = `probabilities ${digitSegments(detail)
          .map((s) => s.probabilities.map((p) => p.toFixed(2)).join(' '))
          .join(' | ')}`;
        expect(detail.digits, probabilities).toBe(digit);
        if (!variant.mayBeUnsure) expect(detail.status, probabilities).toBe('ok');
      });
    }
  }
});

/** The first way of drawing each digit, for numbers. */
const plain = (digits: string) => [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);

describe('small writing', () => {
  // A digit a third of the pad tall: little ink on a big white page must still be a digit, not "blank".
  for (const digit of [1, 7]) {
    test(`a small ${digit} in a corner of the pad is read`, async () => {
      const el = await mount({ 'auto-predict': '0', mode: 'local' });
      const aspect = stageAspect(el);
      draw(el, [DIGIT_DRAWINGS[digit]![0]!.strokes], [{ x: 0.1, y: 0.1, width: (0.3 / aspect) * 0.75, height: 0.3 }]);
      const detail = await el.recognize();
      expect(detail.message ?? '').not.toContain('blank');
      expect(detail.digits).toBe(String(digit));
    });
  }
});

describe('drawing a number', () => {
  for (const number of ['42', '4096', '1379', '2580']) {
    test(`"${number}" is read left to right`, async () => {
      const el = await mount({ 'auto-predict': '0', mode: 'local' });
      draw(el, plain(number), rowOfRegions(number.length, stageAspect(el)));
      await el.updateComplete;
      const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
      part<HTMLButtonElement>(el, 'button.predict').click();
      const { detail } = await recognized;
      expect(detail.digits).toBe(number);
      expect(detail.segments).toHaveLength(number.length);
      // Boxes are in drawing pixels, left to right.
      const lefts = detail.segments.map((s) => s.box.x);
      expect([...lefts].sort((a, b) => a - b)).toEqual(lefts);
      // What the model saw is shown per digit.
      expect(el.shadowRoot!.querySelectorAll('canvas.segment-input')).toHaveLength(number.length);
      expect(part(el, '.digits').textContent).toBe(number);
    });
  }
});

describe('the drawing pad', () => {
  test('reads the drawing on its own once drawing stops (auto-predict)', async () => {
    const el = await mount({ 'auto-predict': '150', mode: 'local' });
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    draw(el, plain('7'), rowOfRegions(1, stageAspect(el)));
    expect((await recognized).detail.digits).toBe('7');
  });

  test('a new stroke before the delay restarts the wait and the result covers every stroke', async () => {
    const el = await mount({ 'auto-predict': '300', mode: 'local' });
    let events = 0;
    el.addEventListener('digit-recognized', () => events++);
    const regions = rowOfRegions(2, stageAspect(el));
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    draw(el, plain('4'), [regions[0]!]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    draw(el, plain('2'), [regions[1]!]);
    expect((await recognized).detail.digits).toBe('42');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(events).toBe(1);
  });

  test('Undo removes the last stroke; Clear removes everything and fires digit-clear', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    // A 7 with its crossbar, then Undo takes the crossbar away: a plain 7 is left.
    draw(el, [DIGIT_DRAWINGS[7]![1]!.strokes], rowOfRegions(1, stageAspect(el)));
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'button.undo').click();
    const plainSeven = await el.recognize();
    expect(plainSeven.digits).toBe('7');
    expect(plainSeven.segments).toHaveLength(1);
    expect(el.undo()).toBe(true);
    expect(el.undo()).toBe(false);
    await el.updateComplete;
    expect(part<HTMLButtonElement>(el, 'button.undo').disabled).toBe(true);
    expect(part<HTMLButtonElement>(el, 'button.predict').disabled).toBe(true);
    expect((await el.recognize()).status).toBe('no-digit');

    draw(el, plain('5'), rowOfRegions(1, stageAspect(el)));
    expect((await el.recognize()).digits).toBe('5');
    await el.updateComplete;
    const cleared = nextEvent(el, 'digit-clear');
    part<HTMLButtonElement>(el, 'button.clear').click();
    await cleared;
    await el.updateComplete;
    expect(el.value).toBe('');
    expect(el.shadowRoot!.querySelector('.result')).toBeNull();
    expect(part(el, '.placeholder').textContent).toContain('Draw');
    expect(inkPixels(el)).toBe(0);
  });

  test('the keyboard works in the drawing area: Enter reads, Ctrl+Z undoes, Delete clears', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    const stage = part(el, '.stage');
    draw(el, [DIGIT_DRAWINGS[4]![0]!.strokes], rowOfRegions(1, stageAspect(el)));
    stage.focus();
    expect(el.shadowRoot!.activeElement).toBe(stage);
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    stage.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect((await recognized).detail.digits).toBe('4');
    stage.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, composed: true }));
    await el.updateComplete;
    // The 4's second stroke is gone, and with it the result for the old drawing.
    expect(el.value).toBe('');
    const cleared = nextEvent(el, 'digit-clear');
    stage.dispatchEvent(new KeyboardEvent('keydown', { key: 'Delete', bubbles: true, composed: true }));
    await cleared;
    await el.updateComplete;
    expect(part<HTMLButtonElement>(el, 'button.predict').disabled).toBe(true);
  });

  test('the drawing survives a resize, at device resolution', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    el.style.width = '600px';
    await frames(3);
    draw(el, plain('3'), rowOfRegions(1, stageAspect(el)));
    await frames(2);
    const before = inkPixels(el);
    expect(before).toBeGreaterThan(0);
    el.style.width = '300px';
    await frames(3);
    const canvas = part<HTMLCanvasElement>(el, 'canvas.ink');
    expect(canvas.width).toBe(Math.round(canvas.getBoundingClientRect().width * devicePixelRatio));
    // Half the width: about a quarter of the ink pixels, still there.
    expect(inkPixels(el)).toBeGreaterThan(before * 0.15);
    expect((await el.recognize()).digits).toBe('3');
  });

  test('a second finger does not draw', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    const canvas = part<HTMLCanvasElement>(el, 'canvas.ink');
    const rect = canvas.getBoundingClientRect();
    canvas.dispatchEvent(
      new PointerEvent('pointerdown', {
        bubbles: true,
        pointerId: 3,
        isPrimary: false,
        pointerType: 'touch',
        clientX: rect.left + 50,
        clientY: rect.top + 50,
        button: 0,
      }),
    );
    canvas.dispatchEvent(
      new PointerEvent('pointerup', {
        bubbles: true,
        pointerId: 3,
        isPrimary: false,
        pointerType: 'touch',
        clientX: rect.left + 90,
        clientY: rect.top + 90,
        button: 0,
      }),
    );
    await frames(2);
    expect(inkPixels(el)).toBe(0);
  });
});

function frames(n: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  });
}

/** Painted pixels on the ink canvas. */
function inkPixels(el: HTMLElement): number {
  const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.ink')!;
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count++;
  return count;
}
