/**
 * Prepares TensorFlow.js for Node scripts (training, evaluation, benchmarks, tests):
 * the WASM backend, loaded from the installed package, plus the missing training kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Tfjs } from '../core/index.js';
// The union package's Node bundle registers every gradient in tfjs's global registry (tfjs-core's
// Node build alone registers none); kernels and engine are shared through that global state.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmTrainingKernels } from './wasm-training-kernels.js';

export type NodeBackend = 'wasm' | 'cpu';

let wasmPathsSet = false;

/** Switches tfjs to `backend` (default wasm) and returns its name once ready. */
export async function useBackend(backend: NodeBackend = 'wasm'): Promise<string> {
  if (backend === 'wasm') {
    if (!wasmPathsSet) {
      const require = createRequire(import.meta.url);
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      // Without platform fetch, the Emscripten loader reads the .wasm with fs in Node.
      setWasmPaths(dist + path.sep);
      wasmPathsSet = true;
    }
    registerWasmTrainingKernels();
  }
  await tf.setBackend(backend);
  await tf.ready();
  return tf.getBackend();
}

/** The tfjs namespaces for the core's classifier in Node (after useBackend). */
export const nodeTfjs: Tfjs = { core: tf, layers: tfl };
