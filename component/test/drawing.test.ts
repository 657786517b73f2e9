/**
 * Drawing with pointer events and reading the digits on the device (WebGL in headless Chromium,
 * through SwiftShader), with the shipped model.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { DigitRecognizedDetail } from '../src/events.js';
import { DIGIT_DRAWINGS } from './fixtures/strokes.js';
import { draw, mount, nextEvent, part, rowOfRegions, stageAspect } from './support/dom.js';

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawing one digit', () => {
  for (const [digit, variants] of Object.entries(DIGIT_DRAWINGS)) {
    for (const variant of variants) {
      test(`${digit} (${variant.name}) is read on the device`, async () => {
        const el = await mount({ 'auto-predict': '0', mode: 'local' });
        draw(el, [variant.strokes], rowOfRegions(1, stageAspect(el)));
        await el.updateComplete;
        const recognized = nextEvent<DigitRecognizedDetail>(el, 'digit-recognized');
        part<HTMLButtonElement>(el, 'button.predict').click();
        const { detail } = await recognized;
        expect(detail.source).toBe('local');
        expect(detail.digits, `probabilities ${detail.segments.map((s) => s.probabilities.map((p) => p.toFixed(2)).join(' ')).join(' | ')}`).toBe(digit);
        expect(detail.status).toBe('ok');
      });
    }
  }
});
