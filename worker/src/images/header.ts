/**
 * Image format and dimensions from the first bytes of a file, without decoding it. This is what lets
 * the API refuse a decompression bomb (a small file declaring a huge image) before spending memory.
 */

/** What a file's first bytes say it is: the three formats the API decodes, and others it names in a 415. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'heif' | 'avif' | 'svg' | 'pdf';

/** Content types of files the API knows and does not decode (a 415 names them). */
export const UNSUPPORTED_TYPES: Record<string, ImageFormat> = {
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/x-ms-bmp': 'bmp',
  'image/tiff': 'tiff',
  'image/heic': 'heif',
  'image/heif': 'heif',
  'image/heic-sequence': 'heif',
  'image/heif-sequence': 'heif',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'application/pdf': 'pdf',
};

/**
 * The known unsupported format a content type names, if any. Own keys only: a client's
 * `Content-Type: __proto__` or `constructor` must not find Object.prototype's members (a fuzzed 500).
 */
export function unsupportedFormat(type: string): ImageFormat | undefined {
  return Object.hasOwn(UNSUPPORTED_TYPES, type) ? UNSUPPORTED_TYPES[type] : undefined;
}

export interface ImageSize {
  width: number;
  height: number;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** An SVG file: after a byte-order mark, an XML declaration, comments and a doctype, the root element is <svg>. */
const SVG = /^(\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>/]/i;

/** The format named by the file's magic bytes, whatever the request's Content-Type claims. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 26) return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heif';
  }
  if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (SVG.test(ascii(bytes, 0, 4096))) return 'svg';
  return undefined;
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

/** PNG: the IHDR chunk must come first, right after the signature. */
export function pngSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);

export interface WebpInfo extends ImageSize {
  /** An animation (VP8X with the animation flag): not a still picture. */
  animated: boolean;
}

/** WebP: the size from the first chunk of the RIFF container (lossy VP8, lossless VP8L or extended VP8X). */
export function webpInfo(bytes: Uint8Array): WebpInfo | undefined {
  if (bytes.length < 30 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined; // key frame start code
    return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff, animated: false };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined; // lossless signature
    const bits = bytes[21]! | (bytes[22]! << 8) | (bytes[23]! << 16) | (bytes[24]! << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, animated: false };
  }
  if (chunk === 'VP8X') return { width: u24le(bytes, 24) + 1, height: u24le(bytes, 27) + 1, animated: (bytes[20]! & 0x02) !== 0 };
  return undefined;
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

export interface JpegFrame extends ImageSize {
  /** Colour components: 1 grey, 3 YCbCr (or RGB), 4 CMYK or YCCK. */
  components: number;
}

/** JPEG: walks the marker segments up to the first start-of-frame. */
export function jpegFrame(bytes: Uint8Array): JpegFrame | undefined {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    } // no length
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame header
    const length = u16be(bytes, at + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (at + 10 > bytes.length) return undefined;
      return { height: u16be(bytes, at + 5), width: u16be(bytes, at + 7), components: bytes[at + 9]! };
    }
    at += 2 + length;
  }
  return undefined;
}

export interface JpegLayout {
  /** Start-of-scan segments before the end of the image. */
  scans: number;
  /** Where the image ends: just past its end-of-image marker; undefined when the file stops first (truncated). */
  end: number | undefined;
}

/**
 * Walks the JPEG's segments to its end-of-image marker: headers by their length (so metadata such
 * as an EXIF thumbnail, which holds markers of its own, is skipped whole), entropy-coded data up to
 * the next marker (inside it, 0xFF is followed by a stuffed 0x00 or a restart marker). What follows
 * the end (a phone's motion-photo video, padding, a second picture) is not part of the image.
 * A baseline JPEG has one scan, a progressive one about ten; thousands of tiny scans make a small
 * file cost minutes of decoding, so the decoder is not given such files.
 */
export function jpegLayout(bytes: Uint8Array): JpegLayout {
  let scans = 0;
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) {
      // Entropy-coded data: jump to the next 0xFF.
      const next = bytes.indexOf(0xff, at + 1);
      if (next < 0) break;
      at = next;
      continue;
    }
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    } // fill byte
    if (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
      at += 2;
      continue;
    } // stuffed byte, restart, standalone
    if (marker === 0xd9) return { scans, end: at + 2 };
    if (at + 4 > bytes.length) break;
    if (marker === 0xda) scans++;
    at += 2 + u16be(bytes, at + 2);
  }
  return { scans, end: undefined };
}

/** How many scans the JPEG holds before its end (see jpegLayout). */
export const jpegScanCount = (bytes: Uint8Array) => jpegLayout(bytes).scans;

/** The EXIF orientation tag (1-8) of a JPEG, or 1 (upright) when it has none. */
export function exifOrientation(bytes: Uint8Array): number {
  for (let at = 2; at + 4 <= bytes.length;) {
    if (bytes[at] !== 0xff) return 1;
    const marker = bytes[at + 1]!;
    if (marker === 0xda || marker === 0xd9) return 1; // no metadata after the first scan
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = u16be(bytes, at + 2);
    if (marker === 0xe1 && ascii(bytes, at + 4, 6) === 'Exif\0\0') return tiffOrientation(bytes.subarray(at + 10, at + 2 + length));
    at += 2 + length;
  }
  return 1;
}

/** The Orientation entry (tag 0x0112) of a TIFF header's first directory. */
function tiffOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const little = tiff[0] === 0x49;
  const u16 = (at: number) => (little ? u16le(tiff, at) : u16be(tiff, at));
  const u32 = (at: number) => (little ? (u16le(tiff, at) | (u16le(tiff, at + 2) << 16)) >>> 0 : u32be(tiff, at));
  const directory = u32(4);
  if (directory + 2 > tiff.length) return 1;
  const count = u16(directory);
  for (let i = 0; i < count; i++) {
    const entry = directory + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}
