/**
 * The home page (GET /) on the real worker, used as a person would: writing a number with the mouse
 * or a finger and reading it on the device; the same without WebGL, read by POST /predict; and a
 * photo of a handwritten number uploaded through the file picker. Screenshots before and after a
 * recognition, on a phone and a desktop, go to test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PixelsRequest, PredictResponse } from '../model/core/index.js';
import { baseURL, onDeviceDownloads, pagesForFile, PHONE, requestsTo } from './support/browser.js';
import { numberPhoto } from './support/photos.js';
import { readResult, uploadFile, writeDigits } from './support/person.js';

const SCREENSHOTS = new URL('../test-results/screenshots/', import.meta.url).pathname;

const pages = pagesForFile();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(() => pages.close());

/** Scrolls so the element sits just under the sticky header, where a visitor would use it. */
async function scrollToRecognizer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const top = document.querySelector('digit-recognizer')!.getBoundingClientRect().top;
    // Instant: the page asks for smooth scrolling, and a screenshot mid-scroll shows the wrong place.
    scrollTo({ top: scrollY + top - 80, behavior: 'instant' });
  });
}

describe('the home page, reading on the device (WebGL)', () => {
  test('a number written with the mouse is read on this device, without calling the API (desktop)', async () => {
    const { page, exchanges, errors } = await pages.visit('/');
    const recognizer = page.locator('#try digit-recognizer');
    await page.screenshot({ path: `${SCREENSHOTS}home-desktop-top.png` });
    await scrollToRecognizer(page);
    await page.screenshot({ path: `${SCREENSHOTS}home-desktop-before.png` });
    // Nothing heavy before the first stroke: TensorFlow.js and the model load on first use.
    expect(onDeviceDownloads(exchanges)).toEqual([]);

    await writeDigits(page, recognizer, '3');
    // The home page reads a drawing on its own once the hand stops (auto-predict).
    const shown = await readResult(recognizer);

    expect(shown.digits).toBe('3');
    expect(shown.source).toBe('local');
    expect(shown.sourceText).toMatch(/^Read on this device · \d+ ms$/);
    expect(requestsTo(exchanges, '/predict')).toEqual([]);
    // The model beside the script, under its content-hashed name.
    expect(requestsTo(exchanges, '/model/model-').map((e) => e.path)).toEqual([
      expect.stringMatching(/^\/model\/model-[0-9a-f]{12}\.json$/),
    ]);
    expect(requestsTo(exchanges, '/model/model-')[0]!.status).toBe(200);
    // The live region tells screen-reader users the same.
    expect(await recognizer.locator('[part="status"]').innerText()).toMatch(/^Recognized 3, .*sure\. Read on this device in \d+ ms\.$/);
    expect(errors).toEqual([]);

    await page.screenshot({ path: `${SCREENSHOTS}home-desktop-after.png` });
    await page.screenshot({ path: `${SCREENSHOTS}home-desktop-full.png`, fullPage: true });
  });

  test('a number written with a finger is read on this device (phone)', async () => {
    const { page, exchanges, errors } = await pages.visit('/', PHONE);
    const recognizer = page.locator('#try digit-recognizer');
    await page.screenshot({ path: `${SCREENSHOTS}home-phone-top.png` });
    // The page fits the phone's width: nothing makes it scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await scrollToRecognizer(page);
    await page.screenshot({ path: `${SCREENSHOTS}home-phone-before.png` });
    const scrollBefore = await page.evaluate(() => scrollY);

    await writeDigits(page, recognizer, '42', 'touch');
    // Dragging a finger on the pad drew instead of scrolling the page.
    expect(await page.evaluate(() => scrollY)).toBe(scrollBefore);
    const shown = await readResult(recognizer);

    expect(shown.digits).toBe('42');
    expect(shown.source).toBe('local');
    expect(requestsTo(exchanges, '/predict')).toEqual([]);
    expect(errors).toEqual([]);

    await page.screenshot({ path: `${SCREENSHOTS}home-phone-after.png` });
  });

  test('a photo of a handwritten number, uploaded with the file picker, is read', async () => {
    const { page, exchanges, errors } = await pages.visit('/');
    const recognizer = page.locator('#try digit-recognizer');

    await uploadFile(page, recognizer, numberPhoto('2026', 'png'));
    // Uploads are read at once.
    const shown = await readResult(recognizer);

    expect(shown.digits).toBe('2026');
    expect(shown.source).toBe('local');
    // One 28x28 picture per digit, as the model saw it, and the uploaded photo never left the page.
    expect(await recognizer.locator('canvas.segment-input').count()).toBe(4);
    expect(requestsTo(exchanges, '/predict')).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the home page in dark mode', () => {
  test('a number written with the mouse is read and shown (screenshot only: colours are checked by eye)', async () => {
    const { page, errors } = await pages.visit('/', { colorScheme: 'dark' });
    const recognizer = page.locator('#try digit-recognizer');
    await writeDigits(page, recognizer, '7');
    expect((await readResult(recognizer)).digits).toBe('7');
    expect(errors).toEqual([]);
    await scrollToRecognizer(page);
    await page.screenshot({ path: `${SCREENSHOTS}home-desktop-dark-after.png` });
  });
});

describe('the home page without WebGL', () => {
  test('a number written with the mouse is read by POST /predict on the worker', async () => {
    const { page, exchanges, errors } = await pages.visit('/', { webgl: false });
    const recognizer = page.locator('#try digit-recognizer');
    const answered = page.waitForResponse((r) => r.url() === `${baseURL}/predict` && r.request().method() === 'POST', { timeout: 60_000 });

    await writeDigits(page, recognizer, '58');
    const response = await answered;
    const shown = await readResult(recognizer);

    // The request: the prepared 28x28 candidates as JSON, never the drawing itself. The drawing's
    // pieces are its three strokes (the 5's body, its bar, the 8); a candidate is a run of them, the
    // whole 5 and the 8 among them, none as wide as both digits.
    const [predict, ...more] = requestsTo(exchanges, '/predict');
    expect(more).toEqual([]);
    expect(predict!.method).toBe('POST');
    expect(predict!.contentType).toMatch(/^application\/json/);
    const sent = JSON.parse(predict!.requestBody!) as PixelsRequest;
    expect(sent.lattice?.pieces).toBe(3);
    const spans = sent.lattice?.spans ?? [];
    expect(spans).toContainEqual([0, 2]);
    expect(spans).toContainEqual([2, 3]);
    for (const [from, to] of spans)
      expect(0 <= from && from < to && to <= 3 && !(from === 0 && to === 3), `span [${from}, ${to})`).toBe(true);
    expect(sent.pixels).toHaveLength(spans.length);
    for (const digit of sent.pixels as number[][]) expect(digit).toHaveLength(784);

    // The worker's answer, and the element showing it as the server's.
    expect(response.status()).toBe(200);
    const answer = (await response.json()) as PredictResponse;
    expect(answer.digits).toBe('58');
    expect(shown.digits).toBe('58');
    expect(shown.source).toBe('remote');
    expect(shown.sourceText).toMatch(/^Read by the server · \d+ ms$/);
    expect(await recognizer.locator('.result').innerText()).toContain('WebGL is not available');
    // The page downloaded nothing of the on-device path it cannot use.
    expect(onDeviceDownloads(exchanges)).toEqual([]);
    expect(errors).toEqual([]);

    await scrollToRecognizer(page);
    await page.screenshot({ path: `${SCREENSHOTS}home-desktop-server.png` });
  });
});
