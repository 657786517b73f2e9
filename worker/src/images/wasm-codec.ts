/**
 * A decoder compiled to WebAssembly (the jSquash packages, from Google's Squoosh), run in workerd.
 * Workers may not compile WebAssembly at run time, so the .wasm is imported as a module compiled at
 * deploy time (wrangler.toml CompiledWasm rule) and handed to the loader.
 *
 * A decoder that gives up on a corrupt file may leave memory allocated in its instance (libjpeg
 * unwinds out of the decoder), so after any failure the loader is started again: the Emscripten
 * codecs (JPEG, WebP) then make a fresh instance from the compiled module, and memory stays bounded
 * whatever clients send (worker/test/memory.test.ts). The PNG codec's wasm-bindgen glue keeps its
 * one instance whatever happens, so png.ts never hands it a file it could fail on.
 */

export interface DecodedPixels {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8ClampedArray;
}

/** jSquash's loader: its types list only the options argument, the code also takes the module. */
type Init = (module: WebAssembly.Module, options: Record<string, unknown>) => Promise<void>;

export function wasmDecoder<Options>(
  init: unknown,
  decode: (buffer: ArrayBuffer, options?: Options) => Promise<DecodedPixels>,
  module: WebAssembly.Module,
): (bytes: Uint8Array, options?: Options) => Promise<DecodedPixels> {
  let ready: Promise<void> | undefined;
  return async (bytes, options) => {
    try {
      // The codec's own messages would go to the log; the HTTP error says what went wrong instead.
      ready ??= (init as Init)(module, { print: () => {}, printErr: () => {} });
      await ready;
      // The decoder wants an ArrayBuffer of exactly the file: the upload's own when it is one.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const image = await decode(whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer, options);
      return { width: image.width, height: image.height, data: image.data };
    } catch (error) {
      // A failed start is retried too, not remembered.
      ready = undefined;
      throw error;
    }
  };
}
