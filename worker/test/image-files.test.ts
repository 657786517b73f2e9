/**
 * Image files as other programs write them: the PNG colour types, bit depths and interlacing, and
 * JPEGs in CMYK, YCCK and with data after their end. The files are committed
 * (fixtures/files/, made by its make.sh with ImageMagick from one photo of the number 2975); a
 * "twin" is ImageMagick's own reading of a file (libpng) written back as plain 8-bit RGBA.
 */
import { describe, expect, it } from 'vitest';
import type { PixelImage } from '../../model/core/index.js';
import { decodeImage } from '../src/images/decode.js';
import { committedFile } from './fixtures/index.js';
import { errorOf, expectOk, post } from './helpers.js';

const NUMBER = '2975';

async function decoded(name: string): Promise<PixelImage> {
  return decodeImage(await committedFile(name));
}

/** How many RGBA bytes differ between two decodings (and that they have one size). */
function differingBytes(a: PixelImage, b: PixelImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let differing = 0;
  for (let i = 0; i < a.width * a.height * 4; i++) if (a.data[i] !== b.data[i]) differing++;
  return differing;
}

async function digitsOf(name: string, type: string): Promise<string> {
  return (await expectOk(await post(await committedFile(name), type))).digits;
}

describe('PNG files of every kind', () => {
  it('the plain file (8-bit RGB) reads as the number', async () => {
    expect(await digitsOf('number.png', 'image/png')).toBe(NUMBER);
  });

  it.each([
    ['number-interlaced.png', 'number.png'],
    ['number-16bit.png', 'number.png'],
    ['number-transparent-16bit.png', 'number-transparent.png'],
    ['number-transparent-interlaced.png', 'number-transparent.png'],
    ['number-grey-alpha.png', 'number-transparent.png'],
  ])('%s holds exactly the pixels of %s, and reads as the same number', async (variant, plain) => {
    expect(differingBytes(await decoded(variant), await decoded(plain))).toBe(0);
    expect(await digitsOf(variant, 'image/png')).toBe(await digitsOf(plain, 'image/png'));
  });

  it.each([
    // upng-js, the decoder before, read these two wrong: 1-bit pixels in its interlaced path, and rows of sub-byte grey.
    ['number-1bit-interlaced.png', 'number-1bit.twin.png'],
    ['number-1bit.png', 'number-1bit.twin.png'],
    ['number-grey-2bit.png', 'number-grey-2bit.twin.png'],
    ['number-palette.png', 'number-palette.twin.png'],
    ['number-palette-4bit.png', 'number-palette.twin.png'],
    ['number-palette-transparent.png', 'number-palette-transparent.twin.png'],
  ])('%s reads as libpng reads it (%s), pixel for pixel, and as the same number', async (variant, twin) => {
    expect(differingBytes(await decoded(variant), await decoded(twin))).toBe(0);
    expect(await digitsOf(variant, 'image/png')).toBe(await digitsOf(twin, 'image/png'));
  });

  it('a 1-bit interlaced PNG reads as its non-interlaced twin, and as the number', async () => {
    expect(differingBytes(await decoded('number-1bit-interlaced.png'), await decoded('number-1bit.png'))).toBe(0);
    expect(await digitsOf('number-1bit-interlaced.png', 'image/png')).toBe(NUMBER);
  });
});

describe('JPEG files', () => {
  it('are refused when cut before their end (no end-of-image marker): 400 invalid_image', async () => {
    const jpeg = await committedFile('number.jpg');
    for (const cut of [jpeg.length - 2, jpeg.length >> 1]) {
      expect(await errorOf(await post(jpeg.subarray(0, cut), 'image/jpeg'))).toMatchObject({ status: 400, code: 'invalid_image' });
    }
  });
});
