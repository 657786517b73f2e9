/**
 * The example pages on the real worker: the element in plain HTML with one script tag, in a form
 * whose submission carries the recognized number, and used as an ordinary custom element by React
 * and Vue (properties set by the framework, `digit-recognized` handled by it).
 */
import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onDeviceDownloads, pagesForFile, requestsTo } from './support/browser.js';
import { digitPhoto } from './support/photos.js';
import { readResult, uploadFile, writeDigits } from './support/person.js';

const SCREENSHOTS = new URL('../test-results/screenshots/', import.meta.url).pathname;

const pages = pagesForFile();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(() => pages.close());

describe('plain HTML', () => {
  test('one module script is all the page loads, and a photo uploaded there is read', async () => {
    const { page, exchanges, errors } = await pages.visit('/plain');
    const recognizer = page.locator('digit-recognizer');
    await recognizer.locator('canvas.ink').waitFor();
    expect(exchanges.filter((e) => e.resourceType === 'script').map((e) => e.path)).toEqual(['/digit-recognizer.js']);
    expect(exchanges.filter((e) => e.resourceType === 'stylesheet')).toEqual([]);

    await uploadFile(page, recognizer, digitPhoto(7, 'jpeg'));
    const shown = await readResult(recognizer);

    expect(shown.digits).toBe('7');
    expect(shown.source).toBe('local');
    // Reading on the device fetched TensorFlow.js and the model from the same worker, on demand.
    expect(onDeviceDownloads(exchanges)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/digit-recognizer-tfjs-/),
        expect.stringMatching(/^\/model\/model-[0-9a-f]{12}\.json$/),
      ]),
    );
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}plain-after.png`, fullPage: true });
  });
});

describe('a form', () => {
  test('the recognized number is submitted as the field "amount"', async () => {
    const { page, exchanges, errors } = await pages.visit('/form');
    const recognizer = page.locator('digit-recognizer');
    const send = page.getByRole('button', { name: 'Send' });

    // Required: nothing is sent before a number was read.
    await send.click();
    expect(new URL(page.url()).pathname).toBe('/form');
    expect(await recognizer.evaluate((el) => (el as HTMLElement & { validity: ValidityState }).validity.valueMissing)).toBe(true);

    await writeDigits(page, recognizer, '42');
    expect((await readResult(recognizer)).digits).toBe('42');
    await page.screenshot({ path: `${SCREENSHOTS}form-filled.png`, fullPage: true });
    await Promise.all([page.waitForURL('**/form-result?**'), send.click()]);

    // What arrived: the request the browser sent, and the page that shows it.
    const submitted = requestsTo(exchanges, '/form-result?', 'GET');
    expect(submitted).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(submitted[0]!.path.split('?')[1]))).toEqual({ payee: 'Ada Lovelace', amount: '42' });
    const rows = await page.locator('#fields tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ['payee', 'Ada Lovelace'],
      ['amount', '42'],
    ]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}form-result.png`, fullPage: true });
  });

  test('Start over (form reset) clears the element and its value', async () => {
    const { page } = await pages.visit('/form');
    const recognizer = page.locator('digit-recognizer');
    await writeDigits(page, recognizer, '7');
    expect((await readResult(recognizer)).digits).toBe('7');

    await page.getByRole('button', { name: 'Start over' }).click();

    expect(await recognizer.evaluate((el) => (el as HTMLElement & { value: string }).value)).toBe('');
    expect(await recognizer.locator('[part="digits"]').count()).toBe(0);
  });
});

/** The framework's own rendering of the last `digit-recognized` event. */
async function frameworkState(page: Page): Promise<{ latest: string; source: string }> {
  return {
    latest: (await page.getByTestId('latest').innerText()).trim(),
    source: (await page.getByTestId('latest-source').innerText()).trim(),
  };
}

async function waitForFrameworkState(page: Page, latest: string): Promise<{ latest: string; source: string }> {
  await page.getByTestId('latest').getByText(latest, { exact: true }).waitFor({ timeout: 60_000 });
  return frameworkState(page);
}

function property<T>(recognizer: Locator, name: string): Promise<T> {
  return recognizer.evaluate((el, key) => (el as unknown as Record<string, T>)[key]!, name);
}

for (const framework of ['React', 'Vue']) {
  describe(`${framework}`, () => {
    test(`${framework} sets the element's properties and handles digit-recognized`, async () => {
      const { page, exchanges, errors } = await pages.visit(`/${framework.toLowerCase()}`);
      const recognizer = page.locator('digit-recognizer');
      expect(await frameworkState(page)).toEqual({ latest: '–', source: 'Draw or upload a number.' });

      // On the device first (mode "auto", the framework's initial state).
      await writeDigits(page, recognizer, '8');
      expect(await waitForFrameworkState(page, '8')).toEqual({
        latest: '8',
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
        source: expect.stringMatching(/^read on this device in \d+ ms$/),
      });
      expect(requestsTo(exchanges, '/predict')).toEqual([]);

      // The framework's state becomes the element's properties: "remote" sends the digits to the worker.
      await page.getByLabel('Where to read').selectOption('remote');
      expect(await property<string>(recognizer, 'mode')).toBe('remote');
      await page.getByLabel('Read a whole number').uncheck();
      expect(await property<boolean>(recognizer, 'multiple')).toBe(false);
      expect(await recognizer.getAttribute('multiple')).toBe('false');
      await page.getByLabel('Read a whole number').check();
      expect(await property<boolean>(recognizer, 'multiple')).toBe(true);

      await recognizer.getByRole('button', { name: 'Clear' }).click();
      await writeDigits(page, recognizer, '17');
      expect(await waitForFrameworkState(page, '17')).toEqual({
        latest: '17',
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
        source: expect.stringMatching(/^read by the server in \d+ ms$/),
      });
      const predict = requestsTo(exchanges, '/predict', 'POST');
      expect(predict).toHaveLength(1);
      expect(predict[0]!.status).toBe(200);
      // The earlier number moved to the framework's history list.
      expect((await page.locator('.history li').allInnerTexts()).map((t) => t.split(' ')[0])).toEqual(['8']);
      expect(errors).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}${framework.toLowerCase()}-after.png`, fullPage: true });
    });
  });
}
