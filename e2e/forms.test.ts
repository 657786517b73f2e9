/**
 * The home page's form on the real worker: a postcode written one digit per box (`cells="5"
 * length="5"`) and an amount of four digits (`length="4"`), both required, written with the mouse
 * or a finger, a digit corrected, and the form sent. Screenshots on a desktop and a phone go to
 * test-results/screenshots/ (checked by eye: they must look like a product).
 */
import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pagesForFile, PHONE, requestsTo } from './support/browser.js';
import { readResult, writeDigits, writeInBoxes, type Pointer } from './support/person.js';

const SCREENSHOTS = new URL('../test-results/screenshots/', import.meta.url).pathname;
const pages = pagesForFile();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(() => pages.close());

/** Scrolls the form to just under the sticky header. */
async function scrollToForm(page: Page): Promise<void> {
  await page.evaluate(() => {
    const top = document.querySelector('#forms form')!.getBoundingClientRect().top;
    scrollTo({ top: scrollY + top - 72, behavior: 'instant' });
  });
}

const valueOf = (recognizer: Locator) => recognizer.evaluate((el) => (el as HTMLElement & { value: string }).value);
const validityOf = (recognizer: Locator) =>
  recognizer.evaluate((el) => {
    const { valid, valueMissing, tooShort, tooLong } = (el as HTMLElement & { validity: ValidityState }).validity;
    return { valid, valueMissing, tooShort, tooLong };
  });

async function fillIn(page: Page, pointer: Pointer, name: string): Promise<{ postcode: Locator; amount: Locator }> {
  const postcode = page.locator('digit-recognizer[name="postcode"]');
  const amount = page.locator('digit-recognizer[name="amount"]');
  await scrollToForm(page);
  await page.screenshot({ path: `${SCREENSHOTS}forms-${name}-empty.png` });

  await writeInBoxes(page, postcode, '75011', pointer);
  expect((await readResult(postcode)).digits).toBe('75011');
  expect(await valueOf(postcode)).toBe('75011');
  await writeDigits(page, amount, '1250', pointer);
  expect((await readResult(amount)).digits).toBe('1250');
  return { postcode, amount };
}

describe('the form on the home page', () => {
  test('a postcode in boxes and a four-digit amount, written with the mouse, are submitted (desktop)', async () => {
    const { page, exchanges, errors } = await pages.visit('/');
    const send = page.getByRole('button', { name: 'Send' });
    // Both are required: nothing is sent yet.
    await send.click();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await validityOf(page.locator('digit-recognizer[name="postcode"]'))).toMatchObject({ valid: false, valueMissing: true });

    const { postcode, amount } = await fillIn(page, 'mouse', 'desktop');
    expect(await validityOf(postcode)).toMatchObject({ valid: true });
    expect(await validityOf(amount)).toMatchObject({ valid: true });
    // Every box read on the device, each as one digit.
    expect(await postcode.locator('[part="digits"] button.digit').count()).toBe(5);
    expect(requestsTo(exchanges, '/predict')).toEqual([]);

    // Correct the amount's last digit: its alternatives, then typed.
    await amount.locator('button.digit').nth(3).click();
    const panel = amount.locator('[part="alternatives"]');
    await panel.waitFor();
    await scrollToForm(page);
    await page.screenshot({ path: `${SCREENSHOTS}forms-desktop-alternatives.png` });
    await panel.getByLabel('Type digit 4').fill('5');
    expect(await valueOf(amount)).toBe('1255');
    await page.screenshot({ path: `${SCREENSHOTS}forms-desktop-filled.png` });

    await Promise.all([page.waitForURL('**/form-result?**'), send.click()]);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ postcode: '75011', amount: '1255' });
    expect(errors).toEqual([]);
  });

  test('written with a finger on a phone, without scrolling the page', async () => {
    const { page, errors } = await pages.visit('/', PHONE);
    // The boxes fit the phone's width in one row, each at least a finger wide.
    const boxes = await page
      .locator('digit-recognizer[name="postcode"] .cell')
      .evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect()).map((r) => ({ top: r.top, width: r.width })));
    expect(new Set(boxes.map((b) => b.top)).size).toBe(1);
    for (const box of boxes) expect(box.width).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await scrollToForm(page);
    const before = await page.evaluate(() => scrollY);
    const postcode = page.locator('digit-recognizer[name="postcode"]');
    await writeInBoxes(page, postcode, '75011', 'touch');
    expect(await page.evaluate(() => scrollY)).toBe(before);
    expect((await readResult(postcode)).digits).toBe('75011');
    const amount = page.locator('digit-recognizer[name="amount"]');
    await writeDigits(page, amount, '1250', 'touch');
    expect((await readResult(amount)).digits).toBe('1250');
    await scrollToForm(page);
    await page.screenshot({ path: `${SCREENSHOTS}forms-phone-filled.png` });
    await amount.locator('button.digit').nth(1).tap();
    await amount.locator('[part="alternatives"]').waitFor();
    await amount.locator('[part="alternatives"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}forms-phone-alternatives.png` });
    expect(errors).toEqual([]);
  });
});
