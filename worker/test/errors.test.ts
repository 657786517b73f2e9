/**
 * Every kind of bad input gets a JSON error `{ error: { code, message } }` with the right status:
 * never a 5xx, never a hang.
 */
import { SELF } from 'cloudflare:test';
import pako from 'pako';
import UPNG from 'upng-js';
import { describe, expect, it } from 'vitest';
import { jpegScanCount } from '../src/images/header.js';
import { MAX_DIGITS } from '../../model/core/index.js';
import { EXCERPT_LENGTH } from '../src/errors.js';
import { MAX_BODY_BYTES, MAX_IMAGE_SIDE, MAX_JPEG_SCANS } from '../src/limits.js';
import { bytesOf, entriesOf, fixtures } from './fixtures/index.js';
import { chunk, errorOf, greyRows, ORIGIN, pngWith, post, postJson, upload, withMissingScanComponent } from './helpers.js';

const png = bytesOf(entriesOf('digit', 'png')[0]!);
const jpeg = bytesOf(entriesOf('digit', 'jpeg')[0]!);
const digitPixels = fixtures.pixels[0]!.values;

const withBytes = (bytes: Uint8Array, edit: (copy: Uint8Array) => void) => {
  const copy = bytes.slice();
  edit(copy);
  return copy;
};
const u32be = (target: Uint8Array, at: number, value: number) => new DataView(target.buffer, target.byteOffset).setUint32(at, value);

/** A PNG that is valid up to its header, which declares `width` x `height`: a decompression bomb's shape. */
function pngDeclaring(width: number, height: number): Uint8Array {
  return withBytes(png, (copy) => {
    u32be(copy, 16, width);
    u32be(copy, 20, height);
  });
}

/** The JPEG with its start-of-frame dimensions rewritten. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  return withBytes(jpeg, (copy) => {
    for (let at = 2; at < copy.length;) {
      const marker = copy[at + 1]!;
      if (marker >= 0xc0 && marker <= 0xc2) {
        new DataView(copy.buffer).setUint16(at + 5, height);
        new DataView(copy.buffer).setUint16(at + 7, width);
        return;
      }
      at += 2 + ((copy[at + 2]! << 8) | copy[at + 3]!);
    }
    throw new Error('no SOF in fixture');
  });
}

const text = (s: string) => new TextEncoder().encode(s);

/** A well-formed PNG (every CRC right) of a grey 100x100 image whose data inflates to `inflated` bytes. */
function pngInflatingTo(inflated: number): Uint8Array {
  return pngWith([chunk('IDAT', pako.deflate(new Uint8Array(inflated)))]);
}

describe('uploads', () => {
  it('no field "image" in the form: 400 missing_image', async () => {
    const error = await errorOf(await upload(png, 'image/png', 'file'));
    expect(error).toMatchObject({ status: 400, code: 'missing_image' });
    expect(error.message).toContain('"image"');
  });

  it('field "image" sent as text instead of a file: 400 missing_image', async () => {
    const form = new FormData();
    form.append('image', 'not a file');
    expect(await errorOf(await SELF.fetch(`${ORIGIN}/predict`, { method: 'POST', body: form }))).toMatchObject({
      status: 400,
      code: 'missing_image',
    });
  });

  it('empty file: 400 empty_image', async () => {
    expect(await errorOf(await upload(new Uint8Array(0), 'image/png'))).toMatchObject({ status: 400, code: 'empty_image' });
  });

  it.each([
    ['a text file', text('hello, these are not pixels')],
    ['random bytes', Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 251)],
    ['an HTML page with an SVG in it', text('<!doctype html><p>Hello <svg width="10"></svg>')],
  ])('%s: 400 invalid_image', async (_, bytes) => {
    expect(await errorOf(await upload(bytes, 'image/png'))).toMatchObject({ status: 400, code: 'invalid_image' });
  });

  it.each([
    ['PNG cut in half', png.subarray(0, png.length >> 1)],
    ['PNG cut inside its header', png.subarray(0, 20)],
    [
      'PNG with a broken compressed stream',
      withBytes(png, (c) => {
        const idat = c.findIndex((_, i) => c[i] === 0x49 && c[i + 1] === 0x44 && c[i + 2] === 0x41 && c[i + 3] === 0x54);
        c[idat + 4] = 0xff;
        c[idat + 5] = 0xff;
      }),
    ],
    ['JPEG cut in half', jpeg.subarray(0, jpeg.length >> 1)],
    ['JPEG cut inside its header', jpeg.subarray(0, 40)],
    ['JPEG without scan data', Uint8Array.from([...jpeg.subarray(0, 2), 0xff, 0xd9])],
  ])('%s: 400 invalid_image', async (_, bytes) => {
    const error = await errorOf(await upload(bytes, 'image/png'));
    expect(error).toMatchObject({ status: 400, code: 'invalid_image' });
  });

  it('a PNG whose data chunk claims 2 GB is refused at once (not copied byte by byte): 400 invalid_image', async () => {
    const idat = png.findIndex((_, i) => png[i] === 0x49 && png[i + 1] === 0x44 && png[i + 2] === 0x41 && png[i + 3] === 0x54);
    const bent = withBytes(png, (c) => u32be(c, idat - 4, 0x76000000));
    const started = Date.now();
    expect(await errorOf(await post(bent, 'image/png'))).toMatchObject({ status: 400, code: 'invalid_image' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a zlib bomb (a 100x100 PNG whose data inflates to 200 MB) stops inflating early: 400 invalid_image', async () => {
    const bomb = pngInflatingTo(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    const error = await errorOf(await post(bomb, 'image/png'));
    expect(error).toMatchObject({ status: 400, code: 'invalid_image' });
    expect(error.message).toMatch(/inflates to more/);
    // The same file with exactly the data it needs decodes (a blank grey page).
    const fine = await post(pngInflatingTo(100 * 101), 'image/png');
    expect(fine.status).toBe(200);
  });

  it('a PNG with a scanline filter type that does not exist (above 4): 400 invalid_image; filter types 0-4 are read', async () => {
    const bad = pngWith([chunk('IDAT', pako.deflate(greyRows((y) => (y === 60 ? 5 : 0))))]);
    const error = await errorOf(await post(bad, 'image/png'));
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
    expect(error).toMatchObject({ status: 400, code: 'invalid_image', message: expect.stringMatching(/filter type 5/) });
    expect((await errorOf(await post(pngWith([chunk('IDAT', pako.deflate(greyRows(() => 255)))]), 'image/png'))).message).toMatch(
      /scanline 1 has filter type 255/,
    );
    // Every filter type 0-4 on zero bytes decodes to zeros: a blank page, read (200) whatever the filters.
    const zeros = new Uint8Array(100 * 101);
    for (let y = 0; y < 100; y++) zeros[y * 101] = y % 5;
    expect((await post(pngWith([chunk('IDAT', pako.deflate(zeros))]), 'image/png')).status).toBe(200);
  });

  it.each([
    ['no IDAT chunk at all', pngWith([])],
    ['only empty IDAT chunks', pngWith([chunk('IDAT', new Uint8Array(0)), chunk('IDAT', new Uint8Array(0))])],
    ['image data for half the rows', pngWith([chunk('IDAT', pako.deflate(greyRows(() => 0, 50)))])],
    ['an indexed-colour image without a palette', pngWith([chunk('IDAT', pako.deflate(greyRows(() => 0)))], { colourType: 3 })],
  ])('a PNG with %s: 400 invalid_image', async (_, bytes) => {
    expect(await errorOf(await post(bytes, 'image/png'))).toMatchObject({ status: 400, code: 'invalid_image' });
  });

  it('a PNG whose image data comes in many IDAT chunks is read', async () => {
    const data = pako.deflate(greyRows(() => 1));
    const parts = Array.from({ length: Math.ceil(data.length / 7) }, (_, i) => chunk('IDAT', data.subarray(i * 7, i * 7 + 7)));
    expect((await post(pngWith(parts), 'image/png')).status).toBe(200);
  });

  it('a PNG with a wrong checksum: 400 invalid_image', async () => {
    const flipped = withBytes(png, (c) => {
      c[c.length - 20]! ^= 0x01;
    });
    expect(await errorOf(await post(flipped, 'image/png'))).toMatchObject({
      status: 400,
      code: 'invalid_image',
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
      message: expect.stringMatching(/checksum/),
    });
  });

  it(`a JPEG with more than ${MAX_JPEG_SCANS} scans (a CPU bomb) is refused before decoding: 400 invalid_image`, async () => {
    // Empty progressive-style scans (one component, spectral band 0-63) inserted before EOI.
    const scan = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
    const withScans = (count: number) =>
      Uint8Array.from([...jpeg.subarray(0, jpeg.length - 2), ...Array.from({ length: count }, () => scan).flat(), 0xff, 0xd9]);
    expect(jpegScanCount(jpeg)).toBe(1);
    expect(jpegScanCount(withScans(MAX_JPEG_SCANS))).toBe(MAX_JPEG_SCANS + 1);
    const error = await errorOf(await post(withScans(MAX_JPEG_SCANS), 'image/jpeg'));
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
    expect(error).toMatchObject({ status: 400, code: 'invalid_image', message: expect.stringMatching(/scans/) });
  });

  it('counts only real scans: start-of-scan bytes inside metadata (an EXIF thumbnail) do not count', () => {
    const payload = Array.from({ length: 300 }, () => [0xff, 0xda]).flat();
    const app1 = [0xff, 0xe1, ((payload.length + 2) >> 8) & 0xff, (payload.length + 2) & 0xff, ...payload];
    const withMetadata = Uint8Array.from([...jpeg.subarray(0, 2), ...app1, ...jpeg.subarray(2)]);
    expect(jpegScanCount(withMetadata)).toBe(1);
  });

  it('a complete JPEG the decoder gives up on (a scan naming a missing component): 400 invalid_image, and the next JPEG is read', async () => {
    expect(await errorOf(await post(withMissingScanComponent(jpeg), 'image/jpeg'))).toMatchObject({ status: 400, code: 'invalid_image' });
    const fine = await post(jpeg, 'image/jpeg');
    expect(fine.status).toBe(200);
    expect((await fine.json<{ digits: string }>()).digits).toBe(entriesOf('digit', 'jpeg')[0]!.expected);
  });

  it('WebP: a truncated file, a damaged one and an animation are 400 invalid_image; a huge declared size 413', async () => {
    const webp = bytesOf(entriesOf('digit', 'webp')[0]!);
    const half = webp.subarray(0, webp.length >> 1);
    const damaged = withBytes(webp, (c) => {
      for (let i = 40; i < c.length; i += 7) c[i]! ^= 0x5a;
    });
    // An extended (VP8X) header with the animation flag and a 64x64 canvas, then nothing.
    const animated = Uint8Array.from([
      ...text('RIFF'),
      30,
      0,
      0,
      0,
      ...text('WEBPVP8X'),
      10,
      0,
      0,
      0,
      0x02,
      0,
      0,
      0,
      63,
      0,
      0,
      63,
      0,
      0,
      0,
      0,
    ]);
    for (const bytes of [half, damaged, animated])
      expect(await errorOf(await post(bytes, 'image/webp'))).toMatchObject({ status: 400, code: 'invalid_image' });
    // The lossy header's 14-bit sides set to 16383 x 16383.
    const huge = withBytes(webp, (c) => {
      c[26] = 0xff;
      c[27] = 0x3f;
      c[28] = 0xff;
      c[29] = 0x3f;
    });
    expect(await errorOf(await post(huge, 'image/webp'))).toMatchObject({ status: 413, code: 'image_too_large' });
    // And after all that, the file itself is read.
    expect((await post(webp, 'image/webp')).status).toBe(200);
  });

  it('zero-sized image: 400 invalid_image', async () => {
    expect(await errorOf(await post(pngDeclaring(0, 10), 'image/png'))).toMatchObject({ status: 400, code: 'invalid_image' });
  });

  it('malformed multipart body: 400 invalid_multipart', async () => {
    const bad = await post(
      '--xyz\r\nContent-Disposition: form-data; name="image"\r\n\r\nno closing boundary',
      'multipart/form-data; boundary=other',
    );
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: 'invalid_multipart' });
    const noBoundary = await post('whatever', 'multipart/form-data');
    expect(await errorOf(noBoundary)).toMatchObject({ status: 400, code: 'invalid_multipart' });
  });
});

describe('unsupported types: 415 listing what is supported', () => {
  // Found by the fuzz test: `Content-Type: __proto__` looked up Object.prototype and answered 500.
  it.each(['__proto__', 'constructor', 'tostring', 'hasownproperty'])('a body typed %s: 415, not a crash', async (type) => {
    expect(await errorOf(await post(Uint8Array.from([0]), type))).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect((await errorOf(await postJson({ image: `data:${type},x` }))).status).toBe(400);
  });

  it.each([
    ['GIF', 'image/gif', text('GIF89a\x10\x00\x10\x00\x00\x00\x00;')],
    ['BMP', 'image/bmp', text('BM' + '\x00'.repeat(60))],
    ['TIFF', 'image/tiff', Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 0, 0])],
  ])('a %s file', async (_, type, bytes) => {
    for (const response of [await post(bytes, type), await upload(bytes, type)]) {
      const error = await errorOf(response);
      expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(error.message).toContain('image/png');
      expect(error.message).toContain('image/jpeg');
    }
  });

  const svg = text(
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><path d="M4 4h20"/></svg>',
  );
  const pdf = text('%PDF-1.7\n1 0 obj << >> endobj');
  const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

  it.each([
    ['an SVG', 'image/svg+xml', svg, 'SVG'],
    ['an SVG without an XML declaration', 'image/svg+xml', text('<svg viewBox="0 0 28 28"></svg>'), 'SVG'],
    ['a PDF', 'application/pdf', pdf, 'PDF'],
    ['a HEIC photo', 'image/heic', Uint8Array.from([0, 0, 0, 24, ...text('ftypheic'), 0, 0, 0, 0, ...text('mif1heic')]), 'HEIF'],
    ['an AVIF', 'image/avif', Uint8Array.from([0, 0, 0, 28, ...text('ftypavif'), 0, 0, 0, 0, ...text('avifmif1miaf')]), 'AVIF'],
  ])('%s, by its bytes, as a raw body, a form file, a file sent as PNG, and a data URL', async (_, type, bytes, name) => {
    for (const response of [
      await post(bytes, type),
      await upload(bytes, type),
      await upload(bytes, 'image/png'),
      await postJson({ image: `data:${type};base64,${base64(bytes)}` }),
    ]) {
      const error = await errorOf(response);
      expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(error.message).toContain(name);
    }
  });

  it.each([
    ['image/svg+xml', 'SVG'],
    ['image/heic', 'HEIF'],
    ['image/avif', 'AVIF'],
    ['image/gif', 'GIF'],
  ])('bytes no format claims, declared as %s (a gzipped SVG, say), as a raw body, a form file and a data URL', async (type, name) => {
    const gzipped = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, ...Array.from({ length: 60 }, (_, i) => (i * 37) % 256)]);
    for (const response of [
      await post(gzipped, type),
      await upload(gzipped, type),
      await postJson({ image: `data:${type};base64,${base64(gzipped)}` }),
    ]) {
      const error = await errorOf(response);
      expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
      expect(error.message).toContain(name);
    }
  });

  it('a data URL of SVG text (not base64): 415, the type says enough', async () => {
    const error = await errorOf(
      await postJson({ image: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg"></svg>')}` }),
    );
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any so they fit any field
    expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type', message: expect.stringContaining('SVG') });
  });

  it('a PNG file sent with another type is still read (the bytes decide)', async () => {
    for (const type of ['image/svg+xml', 'image/gif', 'application/octet-stream']) expect((await post(png, type)).status).toBe(200);
    expect((await upload(png, 'application/pdf')).status).toBe(200);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])('a body sent as %s', async (type) => {
    expect(await errorOf(await post(png, type))).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('a body without Content-Type', async () => {
    const response = await SELF.fetch(`${ORIGIN}/predict`, { method: 'POST', body: new Blob([png]) });
    expect(await errorOf(response)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });
});

describe('size limits', () => {
  it(`a body over ${MAX_BODY_BYTES / 1024 / 1024} MB: 413 payload_too_large`, async () => {
    const big = new Uint8Array(MAX_BODY_BYTES + 1);
    big.set(png);
    expect(await errorOf(await post(big, 'image/png'))).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('an oversized body streamed without Content-Length: 413 payload_too_large', async () => {
    let sent = 0;
    const chunk = new Uint8Array(256 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES * 2) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await post(stream, 'image/png');
    expect(await errorOf(response)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it.each([
    ['PNG', () => pngDeclaring(100_000, 100_000), /the limit for PNG is 8192 pixels a side and 4\.2 megapixels/],
    ['PNG', () => pngDeclaring(MAX_IMAGE_SIDE + 1, 10), /8192 pixels a side/],
    ['PNG', () => pngDeclaring(4000, 4000), /4\.2 megapixels/],
    ['PNG', () => pngDeclaring(2049, 2049), /4\.2 megapixels/], // each side allowed, the area not
    ['JPEG', () => jpegDeclaring(65_535, 65_535), /the limit for JPEG is 8192 pixels a side and 48\.0 megapixels/],
    ['JPEG', () => jpegDeclaring(10, MAX_IMAGE_SIDE + 1), /8192 pixels a side/],
    ['JPEG', () => jpegDeclaring(8000, 7000), /48\.0 megapixels/], // a 56 MP photo: each side allowed, the area not
  ])('a %s declaring dimensions over the limit is refused from its header: 413 image_too_large', async (_, make, says) => {
    const error = await errorOf(await upload(make(), 'image/png'));
    expect(error).toMatchObject({ status: 413, code: 'image_too_large' });
    expect(error.message).toMatch(says);
  });

  it(`an image with more than ${MAX_DIGITS} digits: 422 too_many_digits`, async () => {
    // 40 short dark strokes on white, like a row of ones.
    const width = 40 * 24,
      height = 60;
    const rgba = new Uint8Array(width * height * 4).fill(255);
    for (let n = 0; n < 40; n++)
      for (let y = 10; y < 50; y++)
        for (let x = n * 24 + 8; x < n * 24 + 14; x++) rgba.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
    const bytes = new Uint8Array(UPNG.encode([rgba.buffer], width, height, 0));
    const error = await errorOf(await post(bytes, 'image/png'));
    expect(error).toMatchObject({ status: 422, code: 'too_many_digits' });
  });
});

describe('JSON bodies', () => {
  it.each([
    ['not JSON', '{"pixels": [0, 0,'],
    ['NaN', `{"pixels": [NaN${',0'.repeat(783)}]}`],
    ['Infinity', `{"pixels": [Infinity${',0'.repeat(783)}]}`],
    ['single quotes', "{'pixels': []}"],
  ])('%s: 400 invalid_json', async (_, body) => {
    expect(await errorOf(await post(body, 'application/json'))).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('an empty JSON body: 400 empty_body', async () => {
    expect(await errorOf(await post('', 'application/json'))).toMatchObject({ status: 400, code: 'empty_body' });
  });

  it.each([
    ['an array', [digitPixels]],
    ['a number', 7],
    ['null', null],
    ['both pixels and image', { pixels: digitPixels, image: 'data:image/png;base64,AAAA' }],
  ])('%s instead of an object with one of "pixels" or "image": 400 invalid_request', async (_, body) => {
    expect(await errorOf(await postJson(body))).toMatchObject({ status: 400, code: 'invalid_request' });
  });

  it('an object with neither "pixels" nor "image": 400 missing_image', async () => {
    expect(await errorOf(await postJson({ pixel: digitPixels }))).toMatchObject({ status: 400, code: 'missing_image' });
  });

  it.each([
    ['783 values', digitPixels.slice(1)],
    ['785 values', [...digitPixels, 0]],
    ['no values', []],
    ['a string value', digitPixels.map((v, i) => (i === 5 ? '0.5' : v))],
    ['a null value', digitPixels.map((v, i) => (i === 400 ? null : v))],
    ['a value above 1', digitPixels.map((v, i) => (i === 400 ? 1.5 : v))],
    ['a negative value', digitPixels.map((v, i) => (i === 0 ? -0.1 : v))],
    ['0-255 values instead of 0..1', digitPixels.map((v) => v * 255)],
    ['a string', 'abc'],
    ['an object', { 0: 1 }],
    ['a digit of the wrong length in a list', [digitPixels, digitPixels.slice(0, 700)]],
    ['deeply nested lists', JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown],
  ])('pixels with %s: 400 invalid_pixels', async (_, pixels) => {
    const error = await errorOf(await postJson({ pixels }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_pixels' });
  });

  it('boxes that do not match the digits: 400 invalid_pixels', async () => {
    expect(await errorOf(await postJson({ pixels: digitPixels, boxes: [] }))).toMatchObject({ status: 400, code: 'invalid_pixels' });
    expect(await errorOf(await postJson({ pixels: digitPixels, boxes: [{ x: 0, y: 0, width: 'wide', height: 3 }] }))).toMatchObject({
      status: 400,
      code: 'invalid_pixels',
    });
  });

  it.each([
    ['a negative x', { x: -5, y: 0, width: 10, height: 10 }, 'x'],
    ['a huge width', { x: 0, y: 0, width: 1e308, height: 10 }, 'width'],
    ['a y past the largest image', { x: 0, y: MAX_IMAGE_SIDE + 1, width: 10, height: 10 }, 'y'],
    ['a zero height', { x: 0, y: 0, width: 10, height: 0 }, 'height'],
    ['a width under one pixel', { x: 0, y: 0, width: 0.5, height: 10 }, 'width'],
    ['a missing field', { x: 0, y: 0, width: 10 }, 'height'],
    ['a list instead of an object', [0, 0, 10, 10], '0'],
  ])('a box with %s: 400 invalid_pixels naming the field, nothing echoed back', async (_, box, field) => {
    const error = await errorOf(await postJson({ pixels: [digitPixels], boxes: [box] }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_pixels' });
    expect(error.message).toContain(field === '0' ? 'boxes[0] is' : `boxes[0].${field} is`);
  });

  it(`boxes on the edges of the largest image (0 and ${MAX_IMAGE_SIDE}, fractions) are accepted and echoed`, async () => {
    const boxes = [
      { x: 0, y: 0, width: 1, height: 1 },
      { x: 12.5, y: 3.25, width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE },
    ];
    const result = await postJson({ pixels: [digitPixels, digitPixels], boxes });
    expect(result.status).toBe(200);
    expect((await result.json<{ segments: { box: unknown }[] }>()).segments.map((s) => s.box)).toEqual(boxes);
  });

  it(`more than ${MAX_DIGITS} digits of pixels: 422 too_many_digits`, async () => {
    const error = await errorOf(await postJson({ pixels: Array.from({ length: MAX_DIGITS + 1 }, () => digitPixels) }));
    expect(error).toMatchObject({ status: 422, code: 'too_many_digits' });
  });

  it.each([
    ['a number', 42],
    ['a URL', 'https://example.com/digit.png'],
    ['a data URL without base64', 'data:image/png,rawbytes'],
    ['a data URL with broken base64', 'data:image/png;base64,@@@@'],
    ['a data URL of text', `data:text/plain;base64,${btoa('hello')}`],
  ])('image as %s: 400 invalid_image', async (_, image) => {
    expect(await errorOf(await postJson({ image }))).toMatchObject({ status: 400, code: 'invalid_image' });
  });

  it('image as an empty data URL: 400 empty_image', async () => {
    expect(await errorOf(await postJson({ image: 'data:image/png;base64,' }))).toMatchObject({ status: 400, code: 'empty_image' });
  });
});

describe('query parameters', () => {
  it.each(['maybe', '1', 'yes'])('?single=%s: 400 invalid_request', async (value) => {
    const error = await errorOf(await post(png, 'image/png', {}, `?single=${value}`));
    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(error.message).toContain('single');
  });
});

describe('empty bodies', () => {
  it.each([['image/png'], ['application/octet-stream'], [undefined]])('Content-Type %s with no body: 400 empty_body', async (type) => {
    expect(await errorOf(await post(null, type))).toMatchObject({ status: 400, code: 'empty_body' });
    expect(await errorOf(await post(new Uint8Array(0), type))).toMatchObject({ status: 400, code: 'empty_body' });
  });
});

describe('error messages quote at most a short prefix of a bad value', () => {
  const HUGE = 'x'.repeat(4.5 * 1024 * 1024);
  const expectShort = (error: { message: string }) => {
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toContain('x'.repeat(EXCERPT_LENGTH + 1));
  };

  it('a 4.5 MB string among the pixels', async () => {
    const error = await errorOf(await post(`{"pixels": ["${HUGE}"${',0'.repeat(783)}]}`, 'application/json'));
    expect(error).toMatchObject({ status: 400, code: 'invalid_pixels' });
    expect(error.message).toContain(`"${'x'.repeat(EXCERPT_LENGTH)}…"`);
    expectShort(error);
  });

  it('a 4.5 MB string as a box field', async () => {
    const error = await errorOf(await postJson({ pixels: digitPixels, boxes: [{ x: HUGE, y: 0, width: 1, height: 1 }] }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_pixels' });
    expectShort(error);
  });

  it('a long ?single value, Content-Type and path', async () => {
    const long = 'x'.repeat(5000);
    expectShort(await errorOf(await post(png, 'image/png', {}, `?single=${long}`)));
    expectShort(await errorOf(await post(png, `text/${long}`)));
    expectShort(await errorOf(await SELF.fetch(`${ORIGIN}/${long}`)));
    expectShort(await errorOf(await SELF.fetch(`${ORIGIN}/predict/${long}`, { method: 'POST' })));
  });

  it('values that are arrays or objects are named, not printed', async () => {
    const error = await errorOf(await postJson({ pixels: digitPixels.map((v, i) => (i === 3 ? { deep: HUGE } : v)) }));
    expect(error.message).toContain('pixels[3] is an object');
    expectShort(error);
  });
});
