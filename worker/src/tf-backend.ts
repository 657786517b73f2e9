/**
 * The tfjs backend the worker runs on: tfjs' WASM backend (XNNPACK, SIMD), about 10x faster than the
 * pure-JS CPU backend for this CNN (figures in worker/README.md).
 *
 * Workers may not compile WebAssembly from bytes at run time, and tfjs-backend-wasm's own loader
 * fetches its .wasm and compiles it. So the SIMD binary is imported as a module that wrangler compiles
 * at deploy time (CompiledWasm rule), and the 'wasm' backend is re-registered with a factory that
 * hands that module to the Emscripten loader through its `instantiateWasm` hook. The kernels the
 * package registered for 'wasm' stay as they are.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import createWasmModule, { type BackendWasmModule } from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js';
import simdBinary from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';

/** Emscripten's runtime helper that wraps an exported C function (not in the package's types). */
type Cwrap = (name: string, returns: 'number' | null, args: 'number'[]) => (...args: number[]) => never;

function loadWasmModule(): Promise<BackendWasmModule> {
  return new Promise((resolve, reject) => {
    const config = {
      instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        WebAssembly.instantiate(simdBinary, imports).then((instance) => receive(instance, simdBinary), reject);
        return {}; // tells Emscripten the instantiation is asynchronous
      },
      onAbort: (reason: string) => reject(new Error(`tfjs wasm backend aborted: ${String(reason)}`)),
    };
    createWasmModule(config).then((loaded) => {
      const module = loaded as BackendWasmModule & { cwrap: Cwrap };
      // The same bindings tfjs-backend-wasm's own init() adds.
      module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      resolve(module);
    }, reject);
  });
}

tf.removeBackend('wasm');
tf.registerBackend('wasm', async () => new BackendWasm(await loadWasmModule()), 3);

export async function useBackend(): Promise<string> {
  // Production mode skips tfjs' debug checks (a NaN scan of every kernel output).
  tf.enableProdMode();
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialize');
  await tf.ready();
  return tf.getBackend();
}
