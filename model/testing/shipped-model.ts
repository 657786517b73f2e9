/** Loads the shipped model from model/artifacts in Node (tests, evaluation, benchmarks). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TfjsClassifier } from '../classifier.js';
import { loadModelFromDir } from '../model-files.js';
import { useBackend, type NodeBackend } from '../tfjs-node.js';

export const ARTIFACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts');

export async function loadShippedClassifier(backend: NodeBackend = 'wasm', dir = ARTIFACTS_DIR): Promise<TfjsClassifier> {
  await useBackend(backend);
  return new TfjsClassifier(await loadModelFromDir(dir));
}
