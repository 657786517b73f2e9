/** Files imported through wrangler's module rules (wrangler.toml [[rules]]). */
declare module '*.bin' {
  /** "Data" rule: the file's bytes. */
  const bytes: ArrayBuffer;
  export default bytes;
}

declare module '*.wasm' {
  /** "CompiledWasm" rule: the module, compiled at deploy time (Workers forbid compiling at run time). */
  const module: WebAssembly.Module;
  export default module;
}
