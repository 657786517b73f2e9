/**
 * `cells`: a row of boxes like a one-time-code field, one digit written in each (by held-out real
 * writers, support/handwriting.ts), each box read as exactly one digit in one batch; empty boxes
 * are empty places; Undo and Clear per box and for all; focus moving on as boxes are read, and back
 * with the keyboard.
 */
import axe from 'axe-core';
import { afterEach, describe, expect, test } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import type { DigitRecognizedDetail } from '../src/events.js';
import type { WrittenDigit } from './support/handwriting.js';
import type { RecordedRequest } from './support/test-server.js';
import { drawOn, maybePart, mount, nextEvent, part, regionInCell } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
});

function cellCanvases(el: DigitRecognizer): HTMLCanvasElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('canvas.cell-ink')];
}

function cellElements(el: DigitRecognizer): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('.cell')];
}

/** Writes `digit` in box `cell`, as its writer wrote it. */
function writeIn(el: DigitRecognizer, cell: number, digit: WrittenDigit): void {
  const canvas = cellCanvases(el)[cell]!;
  const rect = canvas.getBoundingClientRect();
  drawOn(canvas, [digit.strokes], [regionInCell(rect.width / rect.height)]);
}

/** After the pads' next paint (they paint on animation frames). */
function painted(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

function inkPixels(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count++;
  return count;
}

describe('six boxes', () => {
  test('drawn as six boxes, each at device resolution, in a row', async () => {
    const el = await mount({ cells: '6', 'auto-predict': '0', mode: 'local' });
    const cells = cellElements(el);
    expect(cells).toHaveLength(6);
    expect(part(el, '.stage').hidden).toBe(true);
    // Uploads are not for boxes.
    expect(part(el, 'button.upload').hidden).toBe(true);
    const rects = cells.map((c) => c.getBoundingClientRect());
    for (let i = 1; i < rects.length; i++) {
      expect(rects[i]!.top).toBe(rects[0]!.top);
      expect(rects[i]!.left).toBeGreaterThan(rects[i - 1]!.right);
    }
    for (const canvas of cellCanvases(el)) expect(canvas.width).toBe(Math.round(canvas.getBoundingClientRect().width * devicePixelRatio));
  });

  for (const [nth, text] of [
    [0, '305418'],
    [3, '926703'],
    [7, '581249'],
  ] as const) {
    test(`six boxes filled by a real writer (${text}) read as six digits, one per box, in one batch`, async () => {
      const { writer, digits } = await commands.digitsInHand(text, nth);
      const el = await mount({ cells: '6', 'auto-predict': '0', mode: 'remote' });
      await fetch('/__test/requests', { method: 'DELETE' });
      digits.forEach((digit, cell) => writeIn(el, cell, digit));
      const detail = await el.recognize();
      expect(detail.digits, `writer ${writer}`).toBe(text);
      expect(detail.segments.map((s) => s.kind)).toEqual(Array(6).fill('digit'));
      expect(el.value).toBe(text);
      // One request: the six boxes' digits as one batch, read as boxes.
      const requests = (await (await fetch('/__test/requests')).json()) as RecordedRequest[];
      expect(requests.map((r) => [r.digits, r.cells])).toEqual([[6, 6]]);
      // The device reads the same.
      el.mode = 'local';
      expect((await el.recognize()).digits).toBe(text);
    });
  }

  test('an empty box is an empty place: the value has the digits in order, the text a space', async () => {
    const { digits } = await commands.digitsInHand('7204', 1);
    const el = await mount({ cells: '6', 'auto-predict': '0', mode: 'local' });
    // Boxes 1, 2, 4 and 5 written; 3 and 6 left empty.
    [0, 1, 3, 4].forEach((cell, i) => writeIn(el, cell, digits[i]!));
    const detail = await el.recognize();
    expect(detail.segments.map((s) => s.kind)).toEqual(['digit', 'digit', 'empty', 'digit', 'digit', 'empty']);
    expect(detail.digits).toBe('7204');
    expect(detail.text).toBe('72 04 ');
    expect(el.value).toBe('7204');
    await el.updateComplete;
    expect(part(el, '[part="digits"]').querySelectorAll('.empty-place')).toHaveLength(2);
    expect(cellElements(el)[2]!.getAttribute('aria-label')).toBe('Box 3 of 6, empty');
    expect(cellElements(el)[1]!.getAttribute('aria-label')).toBe('Box 2 of 6, read as 2');
  });

  test('a box is never split or merged: a digit written across most of its box is one digit', async () => {
    const { digits } = await commands.digitsInHand('10', 2);
    const el = await mount({ cells: '2', 'auto-predict': '0', mode: 'local' });
    digits.forEach((digit, cell) => {
      const canvas = cellCanvases(el)[cell]!;
      // Big: the whole box.
      drawOn(canvas, [digit.strokes], [{ x: 0.05, y: 0.05, width: 0.9, height: 0.9 }]);
    });
    const detail = await el.recognize();
    expect(detail.segments.map((s) => s.kind)).toEqual(['digit', 'digit']);
    expect(detail.digits).toBe('10');
  });
});

describe('Undo and Clear', () => {
  test('Undo takes back the last stroke drawn; Clear box empties the current box; Clear all empties every box', async () => {
    const { digits } = await commands.digitsInHand('413', 4);
    const el = await mount({ cells: '3', 'auto-predict': '0', mode: 'local' });
    digits.forEach((digit, cell) => writeIn(el, cell, digit));
    await el.updateComplete;
    await painted();
    const [first, second, third] = cellCanvases(el);
    const before = [first, second, third].map((c) => inkPixels(c!));
    expect(before.every((n) => n > 0)).toBe(true);

    // Undo: the last stroke of the last box written (the 3's last stroke), nothing else.
    const strokesOfThree = digits[2]!.strokes.length;
    part<HTMLButtonElement>(el, 'button.undo').click();
    await el.updateComplete;
    await painted();
    expect(inkPixels(first!)).toBe(before[0]);
    expect(inkPixels(second!)).toBe(before[1]);
    if (strokesOfThree === 1) expect(inkPixels(third!)).toBe(0);
    else expect(inkPixels(third!)).toBeLessThan(before[2]!);

    // Clear box: the current box is the last one written in (box 3), or the one focused.
    expect(part(el, 'button.clear-cell').getAttribute('aria-label')).toBe('Clear box 3');
    cellElements(el)[1]!.focus();
    await el.updateComplete;
    const clearBox = part<HTMLButtonElement>(el, 'button.clear-cell');
    expect(clearBox.getAttribute('aria-label')).toBe('Clear box 2');
    const cleared = nextEvent(el, 'digit-clear');
    clearBox.click();
    await cleared;
    await el.updateComplete;
    await painted();
    expect(inkPixels(second!)).toBe(0);
    expect(inkPixels(first!)).toBe(before[0]);
    const detail = await el.recognize();
    expect(detail.segments[1]!.kind).toBe('empty');
    expect(detail.digits).toHaveLength(detail.segments.filter((s) => s.kind === 'digit').length);
    expect(detail.digits[0]).toBe('4');

    // Ctrl+Z in a focused box takes back that box's last stroke only.
    const box1 = cellElements(el)[0]!;
    box1.focus();
    box1.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, composed: true }));
    await el.updateComplete;
    await painted();
    expect(inkPixels(second!)).toBe(0);
    expect(digits[0]!.strokes.length === 1 ? inkPixels(first!) === 0 : inkPixels(first!) < before[0]!).toBe(true);
    // The result for the old drawing went with it.
    expect(el.value).toBe('');

    // Clear all.
    part<HTMLButtonElement>(el, 'button.clear').click();
    await el.updateComplete;
    expect(cellCanvases(el).map(inkPixels)).toEqual([0, 0, 0]);
    expect(part<HTMLButtonElement>(el, 'button.predict').disabled).toBe(true);
    expect(maybePart(el, '.result')).toBeNull();
  });
});

describe('focus', () => {
  test('moves to the next box when one is read, and back with the keyboard', async () => {
    const { digits } = await commands.digitsInHand('58', 5);
    const el = await mount({ cells: '4', 'auto-predict': '150', mode: 'local' });
    const cells = cellElements(el);
    // One box in the tab order at a time.
    expect(cells.map((c) => c.tabIndex)).toEqual([0, -1, -1, -1]);

    let recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    writeIn(el, 0, digits[0]!);
    // Writing focuses the box written in.
    expect(el.shadowRoot!.activeElement).toBe(cells[0]);
    expect((await recognized).detail.digits).toBe('5');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(cells[1]);
    expect(cells.map((c) => c.tabIndex)).toEqual([-1, 0, -1, -1]);
    expect(cells[1]!.getAttribute('part')).toContain('current-cell');

    recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    writeIn(el, 1, digits[1]!);
    expect((await recognized).detail.digits).toBe('58');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(cells[2]);

    // Back: the left arrow, and Backspace in an empty box.
    await userEvent.keyboard('{ArrowLeft}');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(cells[1]);
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(cells[3]);
    await userEvent.keyboard('{Backspace}');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(cells[2]);
    await userEvent.keyboard('{Home}');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).toBe(cells[0]);
    // Backspace in a written box empties it (and stays).
    await userEvent.keyboard('{Backspace}');
    await el.updateComplete;
    await painted();
    expect(el.shadowRoot!.activeElement).toBe(cells[0]);
    expect(inkPixels(cellCanvases(el)[0]!)).toBe(0);
    expect(inkPixels(cellCanvases(el)[1]!)).toBeGreaterThan(0);
  });

  test('Tab reaches the boxes once, then the buttons', async () => {
    const el = await mount({ cells: '4', 'auto-predict': '0', mode: 'local' });
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.prepend(before);
    before.focus();
    const reached: string[] = [];
    for (let i = 0; i < 3; i++) {
      await userEvent.tab();
      reached.push((el.shadowRoot!.activeElement as HTMLElement | null)?.getAttribute('part') ?? 'outside');
    }
    // Predict, Undo and the clear buttons are disabled with nothing written; Upload is not there.
    expect(reached).toEqual(['cell current-cell', 'outside', 'outside']);
  });
});

describe('accessibility', () => {
  test('axe-core finds nothing, empty and with a result', async () => {
    const { digits } = await commands.digitsInHand('90', 6);
    const el = await mount({ cells: '5', 'auto-predict': '0', mode: 'local', label: 'Postcode' });
    const check = async () => {
      await el.updateComplete;
      const results = await axe.run(el, { resultTypes: ['violations'] });
      return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    };
    expect(await check()).toEqual([]);
    expect(part(el, '.cells').getAttribute('aria-label')).toBe('Postcode');
    digits.forEach((digit, cell) => writeIn(el, cell, digit));
    await el.recognize();
    expect(await check()).toEqual([]);
  });
});
