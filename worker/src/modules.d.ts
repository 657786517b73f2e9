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

/** The part of pako 1.x (upng-js' inflater) used by src/images/png.ts and the tests. */
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
