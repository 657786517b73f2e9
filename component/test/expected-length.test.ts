/**
 * `length`, `minlength` and `maxlength`: the expected number of digits as a constraint on the
 * reading (among the core's segmentation hypotheses, one with an allowed count wins), in the result
 * (a message when the count still does not fit) and in a form (`tooShort` / `tooLong`, like an
 * `<input>`). Postcodes are written by held-out writers (real strokes, support/handwriting.ts).
 */
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import type { PostcodeCase } from './support/handwriting.js';
import type { RecordedRequest } from './support/test-server.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { draw, drawOn, drawPadStrokes, maybePart, mount, part, regionInCell, rowOfRegions, stageAspect } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
});

let postcodes: PostcodeCase[];

beforeAll(async () => {
  postcodes = await commands.postcodes(12);
});

/** The element sized so its pad has the aspect the postcodes were written for (height / width). */
async function padFor(aspect: number, attributes: Record<string, string> = {}): Promise<DigitRecognizer> {
  const el = await mount({ 'auto-predict': '0', mode: 'local', ...attributes });
  expect(1 / stageAspect(el)).toBeCloseTo(aspect, 2);
  return el;
}

/** Reads `postcode` as drawn on `el`, with `length` set or not. */
async function readPostcode(el: DigitRecognizer, postcode: PostcodeCase, length?: number): Promise<string> {
  el.clear();
  el.length = length;
  await el.updateComplete;
  drawPadStrokes(el, postcode.strokes);
  return (await el.recognize()).digits;
}

describe('length="5": a postcode with a touching pair', () => {
  test('is read right with the expected length and wrong without it', async () => {
    // The first postcode (in a fixed order of writers and numbers) that the core misreads without
    // the length and reads right with it: chosen in Node, drawn and read here in the element.
    const postcode = postcodes.find((p) => p.readWithout !== p.text && p.readWith === p.text);
    expect(postcode, `none of ${postcodes.length} postcodes shows the difference with this model`).toBeDefined();
    const { text, writer } = postcode!;
    const el = await padFor(postcode!.aspect);
    const without = await readPostcode(el, postcode!);
    const withLength = await readPostcode(el, postcode!, 5);
    expect(withLength, `${text} by ${writer}, read with length="5"`).toBe(text);
    expect(without, `${text} by ${writer}, read without a length`).not.toBe(text);
    expect(without.length, 'without a length, the touching pair is read as some other count').not.toBe(5);
  });

  test('over twelve such postcodes, the length never makes a reading worse and makes some right', async () => {
    let rightWith = 0,
      rightWithout = 0;
    const wrongWith: string[] = [];
    const el = await padFor(postcodes[0]!.aspect);
    for (const postcode of postcodes) {
      const without = await readPostcode(el, postcode);
      const withLength = await readPostcode(el, postcode, 5);
      if (without === postcode.text) rightWithout++;
      if (withLength === postcode.text) rightWith++;
      else wrongWith.push(`${postcode.text} read ${withLength}`);
      // With length="5" the reading has five digits whenever any hypothesis has (here: always).
      expect(withLength).toHaveLength(5);
      // A postcode read right without the length stays right with it.
      if (without === postcode.text) expect(withLength, `${postcode.text} by ${postcode.writer}`).toBe(postcode.text);
    }
    expect(rightWith, `with length: ${rightWith}/12 (wrong: ${wrongWith.join(', ')}); without: ${rightWithout}/12`).toBeGreaterThan(
      rightWithout,
    );
  });
});

const plain = (digits: string) => [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);

function drawNumber(el: DigitRecognizer, digits: string): void {
  draw(el, plain(digits), rowOfRegions(digits.length, stageAspect(el)));
}

/** An element in a form, named `code`. */
async function inForm(attributes: Record<string, string>): Promise<{ form: HTMLFormElement; el: DigitRecognizer }> {
  const form = document.createElement('form');
  document.body.append(form);
  const el = await mount({ 'auto-predict': '0', mode: 'local', name: 'code', ...attributes });
  form.append(el);
  await el.updateComplete;
  return { form, el };
}

describe('in a form', () => {
  test('too few digits is tooShort, with a message that says what is expected', async () => {
    const { form, el } = await inForm({ length: '5' });
    // Nothing written yet: not too short (as an empty <input> is not); required is another matter.
    expect(el.validity.valid).toBe(true);
    drawNumber(el, '42');
    const detail = await el.recognize();
    expect(detail.digits).toBe('42');
    // The reading had no five-digit hypothesis: the core says so.
    expect(detail.countFits).toBe(false);
    await el.updateComplete;
    expect(el.validity.tooShort).toBe(true);
    expect(el.validity.valid).toBe(false);
    expect(el.validationMessage).toBe('Expected 5 digits, but 2 digits were read.');
    expect(form.checkValidity()).toBe(false);
    expect(part(el, '[part="count"]').textContent).toBe('Expected 5 digits, but 2 digits were read.');
    // The live region says it too.
    expect(part(el, '[role="status"]').textContent).toContain('Expected 5 digits');
  });

  test('too many digits is tooLong (four boxes written, at most three expected)', async () => {
    // (On the pad, the core meets a maximum by leaving pieces unread, so a reading there is never
    // too long; four boxes are four digits, whatever the expectation.)
    const { el } = await inForm({ maxlength: '3', cells: '4' });
    const { digits } = await commands.digitsInHand('4096');
    el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('canvas.cell-ink').forEach((canvas, i) => {
      const rect = canvas.getBoundingClientRect();
      drawOn(canvas, [digits[i]!.strokes], [regionInCell(rect.width / rect.height)]);
    });
    const detail = await el.recognize();
    expect(detail.digits).toHaveLength(4);
    expect(detail.countFits).toBe(false);
    await el.updateComplete;
    expect(el.validity.tooLong).toBe(true);
    expect(el.validity.tooShort).toBe(false);
    expect(el.validationMessage).toBe('Expected at most 3 digits, but 4 digits were read.');
  });

  test('a count that fits is valid and submitted; minlength and maxlength together', async () => {
    const { form, el } = await inForm({ minlength: '2', maxlength: '4', required: '' });
    expect(el.validity.valueMissing).toBe(true);
    drawNumber(el, '306');
    const detail = await el.recognize();
    expect(detail.digits).toBe('306');
    expect(detail.countFits).toBe(true);
    await el.updateComplete;
    expect(el.validity.valid).toBe(true);
    expect(new FormData(form).get('code')).toBe('306');
    expect(maybePart(el, '[part="count"]')).toBeNull();
    // Changing the expectation re-checks the value at once.
    el.length = 4;
    await el.updateComplete;
    expect(el.validity.tooShort).toBe(true);
    expect(el.validationMessage).toBe('Expected 4 digits, but 3 digits were read.');
  });

  test('attributes that are not counts are ignored', async () => {
    const { el } = await inForm({ length: 'five', minlength: '-1', maxlength: '2.5' });
    drawNumber(el, '4096');
    expect((await el.recognize()).countFits).toBeUndefined();
    await el.updateComplete;
    expect(el.validity.valid).toBe(true);
  });
});

describe('on the server', () => {
  test('the expected length is sent with the candidates', async () => {
    await fetch('/__test/requests', { method: 'DELETE' });
    const el = await mount({ 'auto-predict': '0', mode: 'remote', length: '3' });
    drawNumber(el, '306');
    expect((await el.recognize()).digits).toBe('306');
    const [request] = (await (await fetch('/__test/requests')).json()) as RecordedRequest[];
    expect(request?.options).toEqual({ confidenceThreshold: 0.7, minDigits: 3, maxDigits: 3 });
  });
});
