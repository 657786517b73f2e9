/**
 * Corrections: each read digit is a button; it opens the digit's alternatives, most probable
 * first, with their probabilities, and a field to type the digit. Choosing one changes `value`,
 * the result and the form value, and fires one `digit-corrected`. Keyboard and screen reader usable.
 */
import axe from 'axe-core';
import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { digitSegments } from '../../model/core/index.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import type { DigitCorrectedDetail } from '../src/events.js';
import { draw, maybePart, mount, part, rowOfRegions, stageAspect } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
});

const plain = (digits: string) => [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes);

async function readNumber(digits: string, attributes: Record<string, string> = {}): Promise<DigitRecognizer> {
  const el = await mount({ 'auto-predict': '0', mode: 'local', ...attributes });
  draw(el, plain(digits), rowOfRegions(digits.length, stageAspect(el)));
  expect((await el.recognize()).digits).toBe(digits);
  await el.updateComplete;
  return el;
}

function digitButtons(el: DigitRecognizer): HTMLButtonElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.digit')];
}

/** Collects the element's digit-corrected events. */
function corrections(el: DigitRecognizer): DigitCorrectedDetail[] {
  const heard: DigitCorrectedDetail[] = [];
  el.addEventListener('digit-corrected', (event) => heard.push(event.detail));
  return heard;
}

async function violations(el: DigitRecognizer): Promise<string[]> {
  await el.updateComplete;
  const results = await axe.run(el, { resultTypes: ['violations'] });
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('a read digit', () => {
  test('is a button named by its digit and place; the digits still read as the number', async () => {
    const el = await readNumber('306');
    const buttons = digitButtons(el);
    expect(buttons.map((b) => b.textContent)).toEqual(['3', '0', '6']);
    expect(buttons[1]!.getAttribute('aria-label')).toMatch(/^0: digit 2 of 3/);
    expect(buttons.map((b) => b.getAttribute('aria-expanded'))).toEqual(['false', 'false', 'false']);
    expect(part(el, '[part="digits"]').innerText).toBe('306');
  });

  test('opens its alternatives, most probable first, with their probabilities', async () => {
    const el = await readNumber('306');
    const segment = digitSegments(el.result!)[2]!;
    digitButtons(el)[2]!.click();
    await el.updateComplete;
    expect(digitButtons(el)[2]!.getAttribute('aria-expanded')).toBe('true');
    const panel = part(el, '[part="alternatives"]');
    expect(digitButtons(el)[2]!.getAttribute('aria-controls')).toBe(panel.id);
    const options = [...panel.querySelectorAll<HTMLButtonElement>('button.alternative')];
    expect(options.length).toBeGreaterThanOrEqual(3);
    const shown = options.map((o) => Number(o.dataset.digit));
    const order = segment.probabilities
      .map((p, d) => [d, p] as const)
      .sort((a, b) => b[1] - a[1])
      .map(([d]) => d);
    expect(shown).toEqual(order.slice(0, shown.length));
    // The read digit first, marked as the current reading; each with its probability.
    expect(shown[0]).toBe(6);
    expect(options[0]!.getAttribute('aria-current')).toBe('true');
    for (const option of options) expect(option.querySelector('.alternative-probability')!.textContent).toMatch(/^(<1|>99|\d{1,3})%$/);
    // Focus went into the panel.
    expect(el.shadowRoot!.activeElement).toBe(options[0]);
    expect(await violations(el)).toEqual([]);
  });
});

describe('choosing an alternative', () => {
  test('changes value, result and the form value, and fires one digit-corrected', async () => {
    const form = document.createElement('form');
    document.body.append(form);
    const el = await mount({ 'auto-predict': '0', mode: 'local', name: 'amount' });
    form.append(el);
    await el.updateComplete;
    draw(el, plain('306'), rowOfRegions(3, stageAspect(el)));
    const before = await el.recognize();
    await el.updateComplete;
    const heard = corrections(el);
    digitButtons(el)[1]!.click();
    await el.updateComplete;
    const second = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.alternative')][1]!;
    const to = Number(second.dataset.digit);
    expect(to).not.toBe(0);
    second.click();
    await el.updateComplete;

    expect(heard).toHaveLength(1);
    const [detail] = heard;
    expect(detail).toMatchObject({ index: 1, from: 0, to });
    const corrected = `3${to}6`;
    expect(detail!.result.digits).toBe(corrected);
    expect(detail!.result.text).toBe(corrected);
    expect(detail!.result.corrected).toEqual([1]);
    // The person's choice is sure; the model's probabilities are kept.
    const segment = digitSegments(detail!.result)[1]!;
    expect(segment).toMatchObject({ digit: to, confidence: 1, uncertain: false });
    expect(segment.probabilities).toEqual(digitSegments(before)[1]!.probabilities);
    expect(el.value).toBe(corrected);
    expect(el.result).toEqual(detail!.result);
    expect(new FormData(form).get('amount')).toBe(corrected);
    // Shown and said.
    expect(part(el, '[part="digits"]').innerText).toBe(corrected);
    expect(maybePart(el, '[part="alternatives"]')).toBeNull();
    expect(part(el, '[role="status"]').textContent).toContain(`Digit 2 changed from 0 to ${to}`);
    // Focus is back on the digit.
    expect(el.shadowRoot!.activeElement).toBe(digitButtons(el)[1]);
    expect(digitButtons(el)[1]!.getAttribute('aria-label')).toContain('corrected');
  });

  test('choosing the digit already read changes nothing and fires nothing', async () => {
    const el = await readNumber('42');
    const heard = corrections(el);
    digitButtons(el)[0]!.click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'button.alternative[aria-current="true"]').click();
    await el.updateComplete;
    expect(heard).toEqual([]);
    expect(el.value).toBe('42');
  });

  test('a "not sure" result becomes sure once its doubtful digit is corrected', async () => {
    const el = await readNumber('5', { 'confidence-threshold': '1.01' });
    expect(el.result!.status).toBe('uncertain');
    digitButtons(el)[0]!.click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'button.alternative:not([aria-current="true"])').click();
    await el.updateComplete;
    expect(el.result!.status).toBe('ok');
    expect(el.result!.message).toBeUndefined();
    expect(part(el, '[part="confidence"]').textContent).toBe('100% sure');
  });
});

describe('with the keyboard', () => {
  test('Enter opens, Escape closes back to the digit; Space opens; typing a digit corrects it', async () => {
    const el = await readNumber('42');
    const heard = corrections(el);
    digitButtons(el)[0]!.focus();
    await userEvent.keyboard('{Enter}');
    await el.updateComplete;
    expect(maybePart(el, '[part="alternatives"]')).not.toBeNull();
    await userEvent.keyboard('{Escape}');
    await el.updateComplete;
    expect(maybePart(el, '[part="alternatives"]')).toBeNull();
    expect(el.shadowRoot!.activeElement).toBe(digitButtons(el)[0]);

    // The second digit, with Space, then typed.
    digitButtons(el)[1]!.focus();
    await userEvent.keyboard(' ');
    await el.updateComplete;
    const input = part<HTMLInputElement>(el, '[part="type-digit"]');
    expect(input.getAttribute('inputmode')).toBe('numeric');
    expect(input.labels?.[0]?.textContent ?? input.getAttribute('aria-label')).toBeTruthy();
    input.focus();
    await userEvent.keyboard('x7');
    await el.updateComplete;
    expect(heard).toEqual([expect.objectContaining({ index: 1, from: 2, to: 7 })]);
    expect(el.value).toBe('47');
    expect(el.shadowRoot!.activeElement).toBe(digitButtons(el)[1]);
  });

  test('a new drawing closes the alternatives: a correction never applies to another drawing', async () => {
    const el = await readNumber('42');
    digitButtons(el)[0]!.click();
    await el.updateComplete;
    draw(el, plain('1'), [{ x: 0.85, y: 0.1, width: 0.1, height: 0.3 }]);
    await el.updateComplete;
    expect(maybePart(el, '[part="alternatives"]')).toBeNull();
    expect(el.value).toBe('');
  });
});
