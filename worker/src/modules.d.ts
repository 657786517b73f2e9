/** Files imported through wrangler's module rules (wrangler.toml [[rules]]). */
declare module '*.bin' {
  /** "Data" rule: the file's bytes. */
  const bytes: ArrayBuffer;
  export default bytes;
}

declare module '*.html' {
  /** "Text" rule: the file's contents as a string. */
  const text: string;
  export default text;
}

declare module '*.wasm' {
  /** "CompiledWasm" rule: the module, compiled at deploy time (Workers forbid compiling at run time). */
  const module: WebAssembly.Module;
  export default module;
}

/** The part of pako 1.x (upng-js' inflater) the tests use to build PNGs. */
declare module 'pako' {
  export class Inflate {
    constructor(options?: { chunkSize?: number });
    onData: (chunk: Uint8Array) => void;
    push(data: Uint8Array, final: boolean): boolean;
    err: number;
    msg: string;
  }
  const pako: { Inflate: typeof Inflate; deflate(data: Uint8Array): Uint8Array };
  export default pako;
}

/** The PNG codec's module, also as a precompiled module (its package types it as an instance's exports). */
declare module '@jsquash/png/codec/pkg/squoosh_png_bg.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

/** jpeg-js' decoder alone (CommonJS, `module.exports = decode`), without its encoder. */
declare module 'jpeg-js/lib/decoder.js' {
  const decode: typeof import('jpeg-js').decode;
  export default decode;
}
