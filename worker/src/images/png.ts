/**
 * PNG decoding with upng-js, behind a structural check of our own. upng-js trusts the file: a chunk
 * length bent to 2 GB makes it copy byte by byte for minutes, and its inflate has no output cap, so
 * a small zlib bomb can exhaust memory. So before decoding: every chunk must lie inside the file with
 * a correct CRC, IHDR must be valid and first, IEND last; only the chunks needed for the first image
 * (IHDR, PLTE, tRNS, IDAT, IEND) are passed on (animation and metadata chunks are dropped); and
 * inflating stops as soon as it outgrows what the declared size needs.
 */
import pako from 'pako';
import UPNG from 'upng-js';
import type { PixelImage } from '../../../model/core/index.js';
import { ApiError } from '../errors.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const KEPT = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
/** Valid bit depths per colour type (PNG spec, table 11.1), and samples per pixel. */
const DEPTHS: Record<number, { depths: number[]; samples: number }> = {
  0: { depths: [1, 2, 4, 8, 16], samples: 1 },
  2: { depths: [8, 16], samples: 3 },
  3: { depths: [1, 2, 4, 8], samples: 1 },
  4: { depths: [8, 16], samples: 2 },
  6: { depths: [8, 16], samples: 4 },
};

const corrupt = (why: string) => new ApiError(400, 'invalid_image', `The PNG file is corrupt: ${why}.`);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

/** Bytes of filtered scanlines the image needs once inflated (an upper bound when interlaced). */
function rawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  // Adam7: seven passes over sub-images.
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  return passes.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/** The chunks of a structurally valid PNG that upng needs, re-assembled; throws ApiError otherwise. */
function sanitize(bytes: Uint8Array): { png: Uint8Array; rawBytes: number } {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw corrupt('bad signature');
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let at = 8;
  let rawBytes = 0;
  let sawData = false;
  for (let index = 0; ; index++) {
    if (at + 12 > bytes.length) throw new ApiError(400, 'invalid_image', 'The PNG file is truncated (no IEND chunk).');
    const length = u32(bytes, at);
    const end = at + 12 + length;
    if (end > bytes.length) throw new ApiError(400, 'invalid_image', 'The PNG file is truncated (a chunk runs past the end of the file).');
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (crc32(bytes, at + 4, end - 4) !== u32(bytes, end - 4)) throw corrupt(`checksum mismatch in chunk ${JSON.stringify(type)}`);
    if ((index === 0) !== (type === 'IHDR')) throw corrupt('IHDR must be the first chunk');
    if (type === 'IHDR') {
      if (length !== 13) throw corrupt('bad IHDR length');
      const width = u32(bytes, at + 8), height = u32(bytes, at + 12);
      const depth = bytes[at + 16]!, colourType = bytes[at + 17]!;
      const format = DEPTHS[colourType];
      if (!format || !format.depths.includes(depth)) throw corrupt(`colour type ${colourType} with bit depth ${depth} does not exist`);
      if (bytes[at + 18] !== 0 || bytes[at + 19] !== 0 || bytes[at + 20]! > 1) throw corrupt('unknown compression, filter or interlace method');
      rawBytes = rawSize(width, height, depth * format.samples, bytes[at + 20] === 1);
    }
    if (type === 'IDAT') sawData = true;
    if (KEPT.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  if (!sawData) throw corrupt('no image data');
  const png = new Uint8Array(kept.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of kept) {
    png.set(chunk, offset);
    offset += chunk.length;
  }
  return { png, rawBytes };
}

class InflateLimitError extends Error {}

/** upng's inflate hook, capped at the size the current image needs (decoding is synchronous). */
let inflateLimit = 0;
(UPNG.decode as unknown as { _inflate: (data: Uint8Array) => Uint8Array })._inflate = (data) => {
  const inflator = new pako.Inflate({ chunkSize: 256 * 1024 });
  const chunks: Uint8Array[] = [];
  let total = 0;
  inflator.onData = (chunk) => {
    total += chunk.length;
    if (total > inflateLimit) throw new InflateLimitError();
    chunks.push(chunk);
  };
  inflator.push(data, true);
  if (inflator.err) throw corrupt('the compressed image data is damaged');
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

/** Decodes a PNG whose header was already checked against the size limits; the first frame, as RGBA. */
export function decodePng(bytes: Uint8Array, width: number, height: number): PixelImage {
  const { png, rawBytes } = sanitize(bytes);
  inflateLimit = rawBytes + 1024; // a little slack: encoders may flush an empty block at the end
  let decoded: ReturnType<typeof UPNG.decode>;
  try {
    decoded = UPNG.decode(png.buffer as ArrayBuffer);
  } catch (error) {
    if (error instanceof InflateLimitError) throw corrupt('the compressed data inflates to more than the image size');
    throw error;
  }
  const frame = UPNG.toRGBA8(decoded)[0];
  if (decoded.width !== width || decoded.height !== height || !frame || frame.byteLength < width * height * 4) throw corrupt('the image data does not match its header');
  return { width, height, data: new Uint8Array(frame, 0, width * height * 4), channels: 4 };
}
