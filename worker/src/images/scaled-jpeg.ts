/**
 * Large JPEGs (phone photos as the phone writes them, 12 MP and more) decoded at a reduced scale:
 * JPEG's blocks can be decoded at 1/2, 1/4 or 1/8 of their size directly (a smaller inverse DCT), so
 * a 4032x3024 photo becomes 2016x1512 without ever existing at full size. The full-size RGBA of such
 * a photo alone is 48 MB, and MozJPEG would hold it twice (its memory and the copy it hands back),
 * past what an isolate has (128 MB). The recognition core then finds the number in the reduced image
 * and reads it from the region that holds it.
 *
 * The decoder is ImageScript's (npm `imagescript`, used under its MIT licence): the Rust
 * jpeg-decoder crate with its scaling, compiled to a WebAssembly module that imports nothing, so it
 * runs from a module wrangler compiles at deploy time. A decode that fails (a trap) drops the
 * instance; the next one starts fresh, so no failed decode leaves memory behind.
 */
import jpegWasm from 'imagescript/wasm/any/jpeg.wasm';
import { applyOrientation } from './orientation.js';
import type { DecodedPixels } from './wasm-codec.js';

interface JpegExports {
  memory: WebAssembly.Memory;
  walloc(size: number): number;
  wfree(pointer: number, size: number): void;
  wlen(): number;
  decode(pointer: number, length: number, width: number, height: number): number;
  decode_width(frame: number): number;
  decode_height(frame: number): number;
  decode_format(frame: number): number;
  decode_buffer(frame: number): number;
  decode_free(frame: number): void;
}

/** The decoder's pixel formats. */
const GREY = 0,
  RGB = 1,
  RGBA = 2;

let instance: JpegExports | undefined;

/**
 * Decodes a JPEG at the largest of 1, 1/2, 1/4, 1/8 of its size whose longest side is at most
 * `maxSide` (or at 1/8), as RGBA, upright (EXIF `orientation` applied). Throws on a corrupt file.
 */
export function decodeJpegScaled(bytes: Uint8Array, width: number, height: number, maxSide: number, orientation: number): DecodedPixels {
  let divisor = 1;
  while (divisor < 8 && Math.max(width, height) / divisor > maxSide) divisor *= 2;
  instance ??= new WebAssembly.Instance(jpegWasm).exports as unknown as JpegExports;
  const wasm = instance;
  try {
    const input = wasm.walloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, input, bytes.length).set(bytes);
    // The decoder picks the smallest scale at least this large (it frees the input itself).
    const frame = wasm.decode(input, bytes.length, Math.ceil(width / divisor), Math.ceil(height / divisor));
    if (frame <= 1) throw new Error('the JPEG could not be decoded');
    try {
      const w = wasm.decode_width(frame),
        h = wasm.decode_height(frame),
        format = wasm.decode_format(frame);
      const source = new Uint8Array(wasm.memory.buffer, wasm.decode_buffer(frame), wasm.wlen());
      const channels = format === GREY ? 1 : format === RGB ? 3 : format === RGBA ? 4 : 0;
      if (channels === 0 || source.length < w * h * channels) throw new Error(`unexpected decoder output (format ${format})`);
      const data = new Uint8ClampedArray(w * h * 4);
      for (let i = 0, o = 0, s = 0; i < w * h; i++, o += 4, s += channels) {
        data[o] = source[s]!;
        data[o + 1] = source[s + (channels >= 3 ? 1 : 0)]!;
        data[o + 2] = source[s + (channels >= 3 ? 2 : 0)]!;
        data[o + 3] = channels === 4 ? source[s + 3]! : 255;
      }
      return applyOrientation({ width: w, height: h, data }, orientation);
    } finally {
      wasm.decode_free(frame);
    }
  } catch (error) {
    instance = undefined;
    throw error;
  }
}
