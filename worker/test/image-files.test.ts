/**
 * Image files as other programs write them: the PNG colour types, bit depths and interlacing, and
 * JPEGs in CMYK, YCCK and with data after their end. The files are committed
 * (fixtures/files/, made by its make.sh with ImageMagick from one photo of the number 2975); a
 * "twin" is ImageMagick's own reading of a file (libpng) written back as plain 8-bit RGBA.
 */
import { describe, expect, it } from 'vitest';
import type { PixelImage } from '../../model/core/index.js';
import { decodeImage } from '../src/images/decode.js';
import { MAX_CMYK_JPEG_PIXELS } from '../src/limits.js';
import { withOrientation } from './fixtures/exif.js';
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

/** Mean absolute difference per RGB channel between two decodings of one picture. */
function meanDifference(a: PixelImage, b: PixelImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.width * a.height * 4; i++) if (i % 4 !== 3) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / (a.width * a.height * 3);
}

/** `bytes` followed by `extra`. */
const followedBy = (bytes: Uint8Array, extra: Uint8Array) => {
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
};

/** Bytes that look like nothing in particular, with every value (0xFF 0xD9 included). */
const junk = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7919 + (i >> 8) * 31) % 256);

describe('JPEG files', () => {
  it('the plain file reads as the number', async () => {
    expect(await digitsOf('number.jpg', 'image/jpeg')).toBe(NUMBER);
  });

  it.each([
    ['number-cmyk.jpg', 'CMYK (Adobe transform 0, inverted values, as libvips and Photoshop write it)'],
    ['number-ycck.jpg', 'YCCK (Adobe transform 2, as ImageMagick writes CMYK)'],
  ])('%s, %s, reads as libjpeg reads it, and as the same number as the RGB file', async (name) => {
    // jpeg-js and libjpeg round differently: close, not identical. A file read with its values not
    // inverted would be a negative (a mean difference near 150).
    expect(meanDifference(await decoded(name), await decoded(name.replace('.jpg', '.twin.png')))).toBeLessThan(2);
    expect(await digitsOf(name, 'image/jpeg')).toBe(await digitsOf('number.jpg', 'image/jpeg'));
  });

  it('the YCCK file, made from the RGB file without a colour profile, holds nearly its pixels', async () => {
    expect(meanDifference(await decoded('number-ycck.jpg'), await decoded('number.jpg'))).toBeLessThan(4);
  });

  it('a CMYK JPEG stored turned, with an EXIF orientation, is read upright', async () => {
    const turned = withOrientation(await committedFile('number-ycck-turned.jpg'), 6);
    const image = await decodeImage(turned);
    expect([image.width, image.height]).toEqual([246, 75]);
    expect(meanDifference(image, await decoded('number-ycck.jpg'))).toBeLessThan(3);
    expect((await expectOk(await post(turned, 'image/jpeg'))).digits).toBe(NUMBER);
  });

  it.each([
    ['8 KB of padding', junk(8 * 1024)],
    ["1 MB of data (a motion photo's video)", followedBy(new TextEncoder().encode('\0\0\0\x18ftypmp42'), junk(1024 * 1024))],
    ['a second picture (as in a multi-picture file)', new Uint8Array(0)],
  ])('a JPEG followed by %s reads exactly like the file alone', async (_, extra) => {
    const jpeg = await committedFile('number.jpg');
    const withData = followedBy(jpeg, extra.length > 0 ? extra : await committedFile('number-ycck.jpg'));
    expect(differingBytes(await decodeImage(withData), await decodeImage(jpeg))).toBe(0);
    expect((await expectOk(await post(withData, 'image/jpeg'))).digits).toBe(NUMBER);
  });

  it('are refused when cut before their end (no end-of-image marker), data after the cut or not: 400 invalid_image', async () => {
    const jpeg = await committedFile('number.jpg');
    for (const cut of [jpeg.length - 2, jpeg.length >> 1]) {
      const error = await errorOf(await post(jpeg.subarray(0, cut), 'image/jpeg'));
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
      expect(error).toMatchObject({ status: 400, code: 'invalid_image', message: expect.stringMatching(/truncated/) });
    }
  });

  it(`a CMYK JPEG over ${MAX_CMYK_JPEG_PIXELS / 1024 / 1024} megapixel is refused from its header: 413 image_too_large`, async () => {
    const cmyk = (await committedFile('number-cmyk.jpg')).slice();
    const frame = cmyk.findIndex((b, i) => b === 0xff && cmyk[i + 1] === 0xc0);
    new DataView(cmyk.buffer).setUint16(frame + 5, 1100);
    new DataView(cmyk.buffer).setUint16(frame + 7, 1000);
    const error = await errorOf(await post(cmyk, 'image/jpeg'));
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
    expect(error).toMatchObject({ status: 413, code: 'image_too_large', message: expect.stringMatching(/CMYK/) });
  });
});
