/** Accessibility: axe-core finds no violations in any state people can meet; the keyboard reaches every control. */
import axe from 'axe-core';
import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { DigitRecognizer } from '../src/digit-recognizer.js';
import { DIGIT_DRAWINGS } from '../../model/testing/digit-drawings.js';
import { draw, mount, part, rowOfRegions, stageAspect } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
});

async function violations(el: DigitRecognizer): Promise<string[]> {
  await el.updateComplete;
  const results = await axe.run(el, { resultTypes: ['violations'] });
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

function drawNumber(el: DigitRecognizer, digits: string): void {
  draw(
    el,
    [...digits].map((d) => DIGIT_DRAWINGS[Number(d)]![0]!.strokes),
    rowOfRegions(digits.length, stageAspect(el)),
  );
}

describe('axe-core', () => {
  test('empty element', async () => {
    const el = await mount();
    expect(await violations(el)).toEqual([]);
  });

  test('with a result for a number', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local' });
    drawNumber(el, '306');
    await el.recognize();
    expect(await violations(el)).toEqual([]);
  });

  test('with a "not sure" result', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'local', 'confidence-threshold': '1.01' });
    drawNumber(el, '5');
    await el.recognize();
    expect(await violations(el)).toEqual([]);
  });

  test('with an error and Retry', async () => {
    const el = await mount({ 'auto-predict': '0', mode: 'remote', endpoint: 'http://127.0.0.1:9/predict' });
    drawNumber(el, '5');
    await el.recognize().catch(() => undefined);
    await el.updateComplete;
    expect(part(el, 'button.retry')).toBeTruthy();
    expect(await violations(el)).toEqual([]);
  });

  test('with instructions hidden', async () => {
    const el = await mount({ 'hide-instructions': '' });
    expect(part(el, '.instructions').hidden).toBe(true);
    expect(await violations(el)).toEqual([]);
  });
});

test('Tab reaches the drawing area and every enabled button, in order, with a visible focus ring', async () => {
  const el = await mount({ 'auto-predict': '0', mode: 'local' });
  drawNumber(el, '1');
  await el.updateComplete;
  const before = document.createElement('button');
  before.textContent = 'before';
  document.body.prepend(before);
  before.focus();
  const reached: string[] = [];
  for (let i = 0; i < 5; i++) {
    await userEvent.tab();
    const active = el.shadowRoot!.activeElement as HTMLElement | null;
    expect(active, `Tab ${i + 1} left the element`).not.toBeNull();
    reached.push(active!.getAttribute('part')!);
    // :focus-visible applies on keyboard focus: a 3px solid outline.
    const outline = getComputedStyle(active!);
    expect([outline.outlineStyle, outline.outlineWidth]).toEqual(['solid', '3px']);
  }
  expect(reached).toEqual(['stage', 'button predict-button', 'button undo-button', 'button clear-button', 'button upload-button']);
});
