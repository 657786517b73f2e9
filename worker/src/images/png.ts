/**
 * PNG decoding with the Rust `png` crate compiled to WebAssembly (@jsquash/png, Squoosh's codec),
 * behind checks of our own. The decoder trusts its input more than an upload deserves:
 *   - it inflates every byte of image data it is given, and a small zlib bomb (a 100x100 image
 *     whose data inflates to gigabytes) costs seconds of CPU;
 *   - its wasm-bindgen glue keeps one instance for the isolate, and a file it gives up on leaves the
 *     memory it allocated behind (`unwrap_throw` skips Rust's destructors; up to the image's size per
 *     failure), so unlike the JPEG and WebP decoders it cannot be replaced after a failure.
 * So the decoder is only handed files that are proven decodable: every chunk lies inside the file
 * with a correct CRC, IHDR is valid and first, IEND ends the file; the image data is inflated here
 * (the runtime's native zlib, DecompressionStream) into a buffer of exactly the size the header
 * declares, which stops a bomb as soon as it outgrows it and refuses data that ends early; every
 * scanline's filter type is checked. The decoder then gets a rebuilt PNG: IHDR, the palette and
 * transparency chunks it needs, and that data as stored (uncompressed) deflate blocks, so it is
 * inflated once, not twice. Animation and metadata chunks are dropped (an APNG reads as its first
 * frame).
 */
import decode, { init } from '@jsquash/png/decode.js';
import squooshPng from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
import type { PixelImage } from '../../../model/core/index.js';
import { ApiError } from '../errors.js';
import { wasmDecoder } from './wasm-codec.js';

const decodePixels = wasmDecoder(init, decode, squooshPng);

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Valid bit depths per colour type (PNG spec, table 11.1), and samples per pixel. */
const DEPTHS: Record<number, { depths: number[]; samples: number }> = {
  0: { depths: [1, 2, 4, 8, 16], samples: 1 },
  2: { depths: [8, 16], samples: 3 },
  3: { depths: [1, 2, 4, 8], samples: 1 },
  4: { depths: [8, 16], samples: 2 },
  6: { depths: [8, 16], samples: 4 },
};
/** Inflated bytes past the declared size that are ignored (an encoder's stray flush), as before. */
const INFLATE_SLACK = 1024;
/**
 * Compressed bytes handed to zlib at a time. DecompressionStream inflates each written chunk whole,
 * and a chunk of a zlib bomb inflates to about 1,000 times its size: 16 KB at a time keeps that
 * near 16 MB and costs nothing measurable on real files (bigger slices are no faster).
 */
const INFLATE_INPUT_SLICE = 16 * 1024;
/** The largest stored deflate block. */
const BLOCK = 65535;

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

/** Adam7: the seven passes' first column, first row and steps. */
const PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Length in bytes of each filtered scanline (filter byte included), in the order they are stored. */
function scanlines(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number[] {
  const rows: number[] = [];
  const add = (w: number, h: number) => {
    if (w > 0) for (let y = 0; y < h; y++) rows.push(1 + Math.ceil((w * bitsPerPixel) / 8));
  };
  if (!interlaced) add(width, height);
  else for (const [x0, y0, dx, dy] of PASSES) add(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return rows;
}

interface Structure {
  ihdr: Uint8Array;
  /** PLTE and tRNS as the decoder needs them (whole chunks), or nothing. */
  extra: Uint8Array[];
  /** The compressed image data, chunk by chunk. */
  data: Uint8Array[];
  rows: number[];
}

/** The chunks of a structurally valid PNG; throws ApiError otherwise. */
function readStructure(bytes: Uint8Array): Structure {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw corrupt('bad signature');
  let at = 8;
  let ihdr: Uint8Array | undefined;
  let colourType = 0;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  let rows: number[] = [];
  const data: Uint8Array[] = [];
  for (let index = 0; ; index++) {
    if (at + 12 > bytes.length) throw new ApiError(400, 'invalid_image', 'The PNG file is truncated (no IEND chunk).');
    const length = u32(bytes, at);
    const end = at + 12 + length;
    if (end > bytes.length) throw new ApiError(400, 'invalid_image', 'The PNG file is truncated (a chunk runs past the end of the file).');
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (crc32(bytes, at + 4, end - 4) !== u32(bytes, end - 4)) throw corrupt(`checksum mismatch in chunk ${JSON.stringify(type)}`);
    if ((index === 0) !== (type === 'IHDR')) throw corrupt('IHDR must be the first chunk');
    const chunk = bytes.subarray(at, end);
    if (type === 'IHDR') {
      if (length !== 13) throw corrupt('bad IHDR length');
      const width = u32(bytes, at + 8),
        height = u32(bytes, at + 12);
      const depth = bytes[at + 16]!;
      colourType = bytes[at + 17]!;
      const format = DEPTHS[colourType];
      if (!format || !format.depths.includes(depth)) throw corrupt(`colour type ${colourType} with bit depth ${depth} does not exist`);
      if (bytes[at + 18] !== 0 || bytes[at + 19] !== 0 || bytes[at + 20]! > 1)
        throw corrupt('unknown compression, filter or interlace method');
      ihdr = chunk;
      rows = scanlines(width, height, depth * format.samples, bytes[at + 20] === 1);
    } else if (type === 'IDAT') {
      data.push(bytes.subarray(at + 8, end - 4));
    } else if (data.length === 0 && type === 'PLTE' && !palette) {
      if (length === 0 || length % 3 !== 0 || length > 256 * 3) throw corrupt('bad palette length');
      palette = chunk;
    } else if (data.length === 0 && type === 'tRNS' && !transparency) {
      transparency = chunk;
    }
    at = end;
    if (type === 'IEND') break;
  }
  if (data.every((d) => d.length === 0)) throw corrupt('no image data');
  if (colourType === 3 && !palette) throw corrupt('an indexed-colour image without a palette');
  // As libpng does: a palette only matters to indexed images, a transparency chunk of the wrong
  // size for the colour type is ignored, and one in an image with an alpha channel too.
  const extra: Uint8Array[] = [];
  if (colourType === 3) extra.push(palette!);
  if (transparency) {
    const size = transparency.length - 12;
    const fits = colourType === 0 ? size === 2 : colourType === 2 ? size === 6 : colourType === 3 && size <= (palette!.length - 12) / 3;
    if (fits) extra.push(transparency);
  }
  return { ihdr: ihdr!, extra, data, rows };
}

function chunkHeader(out: Uint8Array, at: number, type: string, length: number): void {
  new DataView(out.buffer, out.byteOffset).setUint32(at, length);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
}

/**
 * Inflates the image data into the decoder's input: a PNG whose one IDAT chunk holds it as stored
 * deflate blocks, read straight into place. Throws ApiError for damaged data, data that ends before
 * the image does, and data that goes on past it (a zlib bomb stops here, at the declared size).
 * The rebuilt file's checksums are left zero: the decoder ignores them (jSquash sets
 * `ignore_checksums`), and the real ones were checked above (CRCs) and by zlib (Adler-32).
 */
async function inflateToStoredPng({ ihdr, extra, data, rows }: Structure): Promise<Uint8Array> {
  const rawBytes = rows.reduce((sum, row) => sum + row, 0);
  const blocks = Math.ceil(rawBytes / BLOCK);
  const zlibBytes = 2 + rawBytes + 5 * blocks + 4;
  const head = SIGNATURE.length + ihdr.length + extra.reduce((sum, chunk) => sum + chunk.length, 0);
  const start = head + 8; // where the zlib stream begins, after the IDAT chunk's length and type
  let out = new Uint8Array(start + zlibBytes + 4 + 12);
  out.set(SIGNATURE);
  out.set(ihdr, SIGNATURE.length);
  extra.reduce((at, chunk) => (out.set(chunk, at), at + chunk.length), SIGNATURE.length + ihdr.length);
  chunkHeader(out, head, 'IDAT', zlibBytes);
  out.set([0x78, 0x01], start);
  chunkHeader(out, start + zlibBytes + 4, 'IEND', 0);
  out.set([0xae, 0x42, 0x60, 0x82], start + zlibBytes + 12);

  const inflater = new DecompressionStream('deflate');
  const writer = inflater.writable.getWriter();
  let stopped = false;
  // Fed a slice at a time, as the reading side asks for more: zlib inflates a written chunk whole.
  // Failures surface on the reading side; here they only end the feeding.
  void (async () => {
    try {
      for (const part of data) {
        for (let at = 0; at < part.length; at += INFLATE_INPUT_SLICE) {
          await writer.ready;
          if (stopped) return;
          writer.write(part.subarray(at, at + INFLATE_INPUT_SLICE)).catch(() => {});
        }
      }
      await writer.close();
    } catch {
      // The stream failed or was cancelled: the reader says why.
    }
  })();
  const reader = inflater.readable.getReader({ mode: 'byob' });
  try {
    for (let b = 0; b < blocks; b++) {
      const at = start + 2 + b * (BLOCK + 5);
      const size = Math.min(BLOCK, rawBytes - b * BLOCK);
      out.set([b === blocks - 1 ? 1 : 0, size & 0xff, size >> 8, ~size & 0xff, (~size >> 8) & 0xff], at);
      // A BYOB read hands the buffer back as a new ArrayBuffer (the old one is detached).
      const { value } = await reader.readAtLeast(size, new Uint8Array(out.buffer, at + 5, size));
      if (!value || value.byteLength < size) throw corrupt('the image data ends before the image does');
      out = new Uint8Array(value.buffer);
    }
    const { value: rest } = await reader.readAtLeast(INFLATE_SLACK + 1, new Uint8Array(INFLATE_SLACK + 1));
    if (rest && rest.byteLength > INFLATE_SLACK) throw corrupt('the compressed data inflates to more than the image size');
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw corrupt('the compressed image data is damaged');
  } finally {
    stopped = true;
    reader.cancel().catch(() => {});
  }

  // Filter types 0-4 exist (PNG spec 9.2); the decoder would fail on any other.
  let offset = 0;
  for (const [i, row] of rows.entries()) {
    const filter = out[start + 2 + offset + 5 * (Math.floor(offset / BLOCK) + 1)]!;
    if (filter > 4) throw corrupt(`scanline ${i + 1} has filter type ${filter}, which does not exist`);
    offset += row;
  }
  return out;
}

/** Decodes a PNG whose header was already checked against the size limits; the first frame, as RGBA. */
export async function decodePng(bytes: Uint8Array, width: number, height: number): Promise<PixelImage> {
  const png = await inflateToStoredPng(readStructure(bytes));
  const decoded = await decodePixels(png);
  if (decoded.width !== width || decoded.height !== height || decoded.data.length < width * height * 4)
    throw corrupt('the image data does not match its header');
  return { width, height, data: decoded.data, channels: 4 };
}
