/** Loads the shipped model from model/artifacts in Node (tests, evaluation, benchmarks). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TfjsClassifier } from '../core/index.js';
import { loadModelFromDir } from '../training/model-files.js';
import { nodeTfjs, useBackend, type NodeBackend } from '../training/tfjs-node.js';

export const ARTIFACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts');

export async function loadShippedClassifier(backend: NodeBackend = 'wasm', dir = ARTIFACTS_DIR): Promise<TfjsClassifier> {
  await useBackend(backend);
  return new TfjsClassifier(await loadModelFromDir(dir), nodeTfjs);
}
