/**
 * Images in: the file picker, drag and drop and paste, with photos of real handwriting (MNIST
 * validation digits rendered as photos in Node by model/testing/synthetic.ts), and bad files.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
import type { DigitErrorDetail, DigitRecognizedDetail } from '../src/events.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { base64ToFile, draw, maybePart, mount, nextEvent, part, rowOfRegions, stageAspect } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
});

async function photo(digit: number, format: 'png' | 'jpeg', seed = 1): Promise<File> {
  const base64 = await commands.digitPhoto(digit, format, seed);
  return base64ToFile(base64, `digit-${digit}.${format === 'png' ? 'png' : 'jpg'}`, `image/${format}`);
}

function transfer(...files: File[]): DataTransfer {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
}

describe('a photo of a digit', () => {
  test('chosen with the file picker is shown and read', async () => {
    const el = await mount({ mode: 'local' });
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    await userEvent.upload(part(el, 'input.file'), await photo(3, 'png'));
    const { detail } = await recognized;
    expect(detail.digits).toBe('3');
    expect(detail.source).toBe('local');
    // The photo is painted in the drawing area, which no longer draws.
    expect(part(el, '.stage').classList.contains('image')).toBe(true);
    expect(part<HTMLButtonElement>(el, 'button.undo').disabled).toBe(true);
  });

  for (const digit of [0, 2, 5, 6, 8, 9]) {
    test(`JPEG of a ${digit}, dropped on the element, is read`, async () => {
      const el = await mount({ mode: 'local' });
      const stage = part(el, '.stage');
      const data = transfer(await photo(digit, 'jpeg', digit + 10));
      const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, composed: true, cancelable: true });
      stage.dispatchEvent(over);
      // Accepting the drag is what lets the page, not the browser, receive the file.
      expect(over.defaultPrevented).toBe(true);
      await el.updateComplete;
      expect(stage.classList.contains('dragging')).toBe(true);
      const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
      stage.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
      expect((await recognized).detail.digits).toBe(String(digit));
      expect(stage.classList.contains('dragging')).toBe(false);
    });
  }

  test('pasted from the clipboard is read', async () => {
    const el = await mount({ mode: 'local' });
    const stage = part(el, '.stage');
    stage.focus();
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    const paste = new ClipboardEvent('paste', {
      clipboardData: transfer(await photo(7, 'png', 3)),
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    stage.dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(true);
    expect((await recognized).detail.digits).toBe('7');
  });

  test('pasting text is left alone', async () => {
    const el = await mount({ mode: 'local' });
    const data = new DataTransfer();
    data.setData('text/plain', '42');
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true, cancelable: true });
    part(el, '.stage').dispatchEvent(paste);
    expect(paste.defaultPrevented).toBe(false);
    await el.updateComplete;
    expect(maybePart(el, '.error')).toBeNull();
  });

  test('a photo of a whole number is read digit by digit', async () => {
    const el = await mount({ mode: 'local' });
    const file = base64ToFile(await commands.numberPhoto('409'), 'number.png', 'image/png');
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    await userEvent.upload(part(el, 'input.file'), file);
    expect((await recognized).detail.digits).toBe('409');
  });

  test('with auto-predict off, waits for Predict', async () => {
    const el = await mount({ mode: 'local', 'auto-predict': '0' });
    let events = 0;
    el.addEventListener('digit-recognized', () => events++);
    await userEvent.upload(part(el, 'input.file'), await photo(4, 'png'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toBe(0);
    await el.updateComplete;
    const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
    part<HTMLButtonElement>(el, 'button.predict').click();
    expect((await recognized).detail.digits).toBe('4');
  });

  test('loadImage() shows it without reading it or firing events; recognize() reads it', async () => {
    const el = await mount({ mode: 'local' });
    const fired: string[] = [];
    for (const type of ['digit-recognized', 'digit-error', 'digit-clear']) el.addEventListener(type, () => fired.push(type));
    await el.loadImage(await photo(1, 'png'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(el.result).toBeUndefined();
    expect((await el.recognize()).digits).toBe('1');
    el.clear();
    expect(fired).toEqual([]);
  });
});

describe('a file that is not a usable image', () => {
  async function drawnSeven() {
    const el = await mount({ mode: 'local', 'auto-predict': '0' });
    draw(el, [DIGIT_DRAWINGS[7]![0]!.strokes], rowOfRegions(1, stageAspect(el)));
    await el.recognize();
    await el.updateComplete;
    return el;
  }

  test('a text file shows a message, fires digit-error and changes nothing', async () => {
    const el = await drawnSeven();
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    await userEvent.upload(part(el, 'input.file'), new File(['4096'], 'number.txt', { type: 'text/plain' }));
    const { detail } = await errored;
    expect(detail.code).toBe('unsupported-file');
    expect(detail.message).toContain('number.txt');
    await el.updateComplete;
    const alert = part(el, '[role="alert"]');
    expect(alert.textContent).toContain('is not a supported image');
    // The drawing and its result are still there.
    expect(el.value).toBe('7');
    expect(part(el, '.stage').classList.contains('image')).toBe(false);
    expect(part<HTMLButtonElement>(el, 'button.undo').disabled).toBe(false);
  });

  test('an SVG is refused: only bitmap photos are accepted', async () => {
    const el = await mount({ mode: 'local' });
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'seven.svg', { type: 'image/svg+xml' });
    part(el, '.stage').dispatchEvent(
      new DragEvent('drop', { dataTransfer: transfer(svg), bubbles: true, composed: true, cancelable: true }),
    );
    expect((await errored).detail.code).toBe('unsupported-file');
  });

  test('a damaged PNG shows that it cannot be read', async () => {
    const el = await drawnSeven();
    const errored = nextEvent<DigitErrorDetail>(el, 'digit-error');
    const broken = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5])], 'broken.png', {
      type: 'image/png',
    });
    await userEvent.upload(part(el, 'input.file'), broken);
    expect((await errored).detail.code).toBe('unreadable-image');
    await el.updateComplete;
    expect(part(el, '[role="alert"]').textContent).toContain('could not be read as an image');
    expect(el.value).toBe('7');
  });

  test('loadImage() of a bad file rejects with the same error and shows it', async () => {
    const el = await mount({ mode: 'local' });
    await expect(el.loadImage(new Blob(['hello'], { type: 'application/pdf' }))).rejects.toMatchObject({ code: 'unsupported-file' });
    await el.updateComplete;
    expect(part(el, '[role="alert"]').textContent).toContain('not a supported image');
  });
});
