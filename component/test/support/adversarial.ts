/**
 * An image made to be slow to segment, for the responsiveness tests: 800x800 px of thousands of
 * short bars and dots, drawn on a canvas. Shrunk to the core's working size (400 px: exactly half),
 * it is 2,615 separate short bars, each too tall to be dropped as a speck:
 *  - 80 bars in the left half, each at its own x, that never merge with anything (every merging
 *    pass of segment.ts's mergeBrokenStrokes rescans past all of them), and
 *  - a block of 2,535 bars stacked in columns on the right, which merge one pair per pass,
 *  - plus 400 dots between them (specks, dropped before merging).
 * With the core's merging as of this writing, that is seconds of work: 9.0 s in this headless
 * Chromium, timed once by calling reading.ts `prepare` on it in the page. A faster core makes it
 * cheap; the tests that use it still hold then, they just prove less.
 */
export const ADVERSARIAL_SIZE = 800;

export function adversarialCanvas(): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = ADVERSARIAL_SIZE;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, ADVERSARIAL_SIZE, ADVERSARIAL_SIZE);
  ctx.fillStyle = '#000';
  // In working-size pixels (x2 here).
  const bar = (x: number, y: number, width: number, height: number) => ctx.fillRect(x * 2, y * 2, width * 2, height * 2);
  const left = 80;
  for (let i = 0; i < left; i++) bar(2 + 2 * i, 4 + ((i * 37) % 380), 1, 8);
  for (let i = 0; i < 400; i++) bar(2 + 2 * left + 4 + (i % 10) * 3, 4 + Math.floor(i / 10) * 9, 1, 1);
  for (let x = 2 + 2 * left + 40; x + 2 < 398; x += 3) for (let y = 4; y + 8 < 396; y += 10) bar(x, y, 2, 8);
  return canvas;
}

export async function adversarialPng(): Promise<File> {
  const blob = await new Promise<Blob | null>((resolve) => adversarialCanvas().toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the canvas could not be encoded');
  return new File([blob], 'bars-and-dots.png', { type: 'image/png' });
}
