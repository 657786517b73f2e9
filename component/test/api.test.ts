/** The developer API: attributes and properties, event details, form association, both paths agreeing. */
import { afterEach, describe, expect, test } from 'vitest';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import type { DigitRecognizedDetail } from '../src/events.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { draw, maybePart, mount, nextEvent, part, rowOfRegions, stageAspect } from './support/dom.js';
import { digitSegments } from '../../model/core/index.js';

afterEach(() => {
  document.body.replaceChildren();
});

const plain = (digits: string) => [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);

function drawNumber(el: DigitRecognizer, digits: string): void {
  draw(el, plain(digits), rowOfRegions(digits.length, stageAspect(el)));
}

describe('attributes and properties', () => {
  test('defaults, and attributes map to properties', () => {
    const el = document.createElement('digit-recognizer');
    expect(el.mode).toBe('auto');
    expect(el.multiple).toBe(true);
    expect(el.autoPredict).toBe(800);
    expect(el.confidenceThreshold).toBe(0.7);
    expect(el.timeout).toBe(15_000);
    // Next to the script, where the worker serves the model and the API.
    expect(el.modelUrl).toMatch(/\/model\/model\.json$/);
    expect(el.endpoint).toMatch(/\/predict$/);

    el.setAttribute('mode', 'remote');
    el.setAttribute('multiple', 'false');
    el.setAttribute('stroke-width', '20');
    el.setAttribute('auto-predict', '0');
    el.setAttribute('confidence-threshold', '0.9');
    el.setAttribute('api-key', 'abc');
    el.setAttribute('model-url', '/m/model.json');
    expect([el.mode, el.multiple, el.strokeWidth, el.autoPredict, el.confidenceThreshold, el.apiKey, el.modelUrl]).toEqual([
      'remote',
      false,
      20,
      0,
      0.9,
      'abc',
      '/m/model.json',
    ]);
    el.removeAttribute('multiple');
    expect(el.multiple).toBe(true);
  });

  test('nonsense attribute values fall back to the defaults instead of breaking', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'gpu', timeout: 'soon', 'confidence-threshold': 'high', 'stroke-width': 'thick' });
    drawNumber(el, '3');
    // An unknown mode acts as auto: on the device here.
    expect(await el.recognize()).toMatchObject({ digits: '3', status: 'ok', source: 'local' });
    // A NaN timeout would abort every request at once; the default 15 s applies instead.
    el.mode = 'remote';
    expect(await el.recognize()).toMatchObject({ digits: '3', source: 'remote' });
  });

  test('multiple="false" reads the whole drawing as one digit', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', multiple: 'false' });
    // A 4 drawn with a gap between its strokes is still one digit.
    draw(
      el,
      [
        [
          [
            [0.25, 0.05],
            [0.2, 0.58],
            [0.85, 0.58],
          ],
          [
            [0.7, 0.02],
            [0.7, 0.98],
          ],
        ],
      ],
      rowOfRegions(1, stageAspect(el)),
    );
    const detail = await el.recognize();
    expect(detail.segments).toHaveLength(1);
    expect(detail.digits).toBe('4');
  });

  test('confidence-threshold marks digits "not sure" in the result, the boxes and the text', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'confidence-threshold': '1.01' });
    drawNumber(el, '3');
    const detail = await el.recognize();
    expect(detail.status).toBe('uncertain');
    expect(digitSegments(detail)[0]!.uncertain).toBe(true);
    expect(detail.message).toContain('Not sure');
    await el.updateComplete;
    expect(part(el, '[part="confidence"]').textContent).toContain('Not sure');
    expect(part(el, '.segment').classList.contains('uncertain')).toBe(true);
    expect(part(el, '[role="status"]').textContent).toContain('Not sure. Best guess: 3');
  });

  test('a blank drawing is "no digit", not an error', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    const detail = await el.recognize();
    expect(detail).toMatchObject({ status: 'no-digit', digits: '', digit: null, segments: [] });
    await el.updateComplete;
    expect(part(el, '.digits').textContent).toBe('No digit found');
    expect(maybePart(el, '[role="alert"]')).toBeNull();
  });
});

describe('events', () => {
  test('digit-recognized carries the result, source and time, bubbles and crosses shadow roots', async () => {
    // Inside another component's shadow root: the document still hears it.
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const el = document.createElement('digit-recognizer');
    el.setAttribute('model-url', '/__test/model/model.json');
    el.mode = 'local';
    el.autoPredict = 0;
    root.append(el);
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    drawNumber(el, '71');
    await el.updateComplete;
    const heard = nextEvent<DigitRecognizedDetail>(document, 'digit-recognized');
    part<HTMLButtonElement>(el, 'button.predict').click();
    const event = await heard;
    expect(event.bubbles && event.composed).toBe(true);
    const { detail } = event;
    expect(detail).toMatchObject({ status: 'ok', digits: '71', digit: 7, source: 'local' });
    expect(detail.durationMs).toBeGreaterThan(0);
    expect(detail.confidence).toBe(Math.min(...digitSegments(detail).map((s) => s.confidence)));
    for (const segment of digitSegments(detail)) {
      expect(segment.probabilities).toHaveLength(10);
      for (const p of segment.probabilities) expect(p >= 0 && p <= 1, `probability ${p}`).toBe(true);
      // The ten digits' share of the model's softmax: what they leave of 1 is its eleventh output,
      // "not one digit" (the six-decimal rounding moves the sum by at most 5e-6). For a digit it read,
      // that is less than the digit's own probability.
      const digitsShare = segment.probabilities.reduce((a, b) => a + b, 0);
      expect(digitsShare).toBeLessThanOrEqual(1 + 5e-6);
      expect(1 - digitsShare).toBeLessThan(segment.confidence);
      // Probabilities are rounded to 6 decimals for the wire; the confidence is the raw value.
      expect(segment.confidence).toBeCloseTo(Math.max(...segment.probabilities), 5);
      expect(segment.box.width).toBeGreaterThan(0);
      expect(segment.box.height).toBeGreaterThan(0);
    }
    expect(el.result).toEqual(detail);
  });

  test('methods fire no events', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    const fired: string[] = [];
    for (const type of ['digit-recognized', 'digit-error', 'digit-clear']) el.addEventListener(type, () => fired.push(type));
    drawNumber(el, '9');
    expect((await el.recognize()).digits).toBe('9');
    el.undo();
    el.clear();
    el.mode = 'remote';
    el.endpoint = 'http://127.0.0.1:9/predict';
    drawNumber(el, '9');
    await expect(el.recognize()).rejects.toMatchObject({ code: 'network' });
    expect(fired).toEqual([]);
  });

  test('a newer recognition replaces one in flight', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    drawNumber(el, '8');
    const first = el.recognize();
    const second = el.recognize();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect((await second).digits).toBe('8');
  });
});

describe('in a form', () => {
  test('submits the digits under its name; required until recognized; reset clears it', async () => {
    const form = document.createElement('form');
    document.body.append(form);
    const el = document.createElement('digit-recognizer');
    el.setAttribute('model-url', '/__test/model/model.json');
    el.setAttribute('name', 'amount');
    el.setAttribute('mode', 'local');
    el.setAttribute('auto-predict', '0');
    el.required = true;
    form.append(el);
    await el.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

    expect(el.form).toBe(form);
    expect(el.checkValidity()).toBe(false);
    expect(el.validity.valueMissing).toBe(true);
    expect(form.checkValidity()).toBe(false);

    drawNumber(el, '25');
    expect((await el.recognize()).digits).toBe('25');
    await el.updateComplete;
    expect(new FormData(form).get('amount')).toBe('25');
    expect(el.value).toBe('25');
    expect(form.checkValidity()).toBe(true);

    form.reset();
    await el.updateComplete;
    expect(el.value).toBe('');
    expect(new FormData(form).has('amount')).toBe(false);
    expect(el.checkValidity()).toBe(false);
  });
});

describe('both paths', () => {
  test('read the same digits with the same probabilities on the device and on the server', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    drawNumber(el, '3694');
    const local = await el.recognize();
    el.mode = 'remote';
    const remote = await el.recognize();
    expect([local.source, remote.source]).toEqual(['local', 'remote']);
    expect(remote.digits).toBe(local.digits);
    expect(remote.segments.map((s) => s.box)).toEqual(local.segments.map((s) => s.box));
    // WebGL (float16 textures on some GPUs) and the CPU differ only in rounding.
    digitSegments(remote).forEach((segment, i) => {
      segment.probabilities.forEach((p, d) => expect(Math.abs(p - digitSegments(local)[i]!.probabilities[d]!)).toBeLessThan(0.01));
    });
  });
});
