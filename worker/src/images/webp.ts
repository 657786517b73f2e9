/**
 * WebP decoding with libwebp in WebAssembly (@jsquash/webp, Squoosh's codec): what
 * `canvas.toBlob(..., 'image/webp')` and many phones' screenshots give. Lossy, lossless and
 * extended (alpha) files; an animated WebP is refused as unreadable (libwebp's still-image decoder).
 */
import decode, { init } from '@jsquash/webp/decode.js';
import libwebp from '@jsquash/webp/codec/dec/webp_dec.wasm';
import { wasmDecoder } from './wasm-codec.js';

/** Decodes a WebP to RGBA. Throws on a corrupt or animated file. */
export const decodeWebpPixels = wasmDecoder(init, decode, libwebp);
