/**
 * The model as it is served (dist/public/model/), written by the element's build (component/build.mjs,
 * which also tells the element the names) or, without it, by scripts/build.mjs:
 *   - model-<hash>.json and weights-<hash>.bin: named by their content, served with
 *     `Cache-Control: immutable` (demo/_headers), so a second visit asks for nothing, and a new model
 *     is a new name (the element built with it names it), never a stale cached copy;
 *   - model.json and weights.bin: the same files under their plain names, revalidated on every
 *     visit, for pages (and the worker's tests) that name the model with `model-url`.
 * Nothing else is left in the folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Bytes a weights manifest says its files hold (float16 entries take 2 bytes a value, uint8 1). */
function expectedBytes(manifest) {
  const size = { float16: 2, uint8: 1, uint16: 2 };
  return manifest
    .flatMap((group) => group.weights)
    .reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (size[w.quantization?.dtype] ?? 4), 0);
}

/**
 * One consistent copy of model.json and its weights from `artifacts`: training may rewrite them while
 * a build runs, so both are read, checked against each other, and read again if caught between writes.
 */
export async function readModel(artifacts) {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const json = JSON.parse(await readFile(path.join(artifacts, 'model.json'), 'utf8'));
      const files = json.weightsManifest.flatMap((group) => group.paths);
      if (files.length !== 1) throw new Error(`expected one weights file, found ${files.length}`);
      const weights = await readFile(path.join(artifacts, files[0]));
      if (expectedBytes(json.weightsManifest) === weights.byteLength) {
        const hash = createHash('sha256').update(JSON.stringify(json)).update(weights).digest('hex').slice(0, 12);
        return { json, weights, hash, modelFile: `model-${hash}.json`, weightsFile: `weights-${hash}.bin` };
      }
    } catch (error) {
      if (error.code === 'ENOENT' && attempt === 0)
        throw new Error(`${path.join(artifacts, 'model.json')} is missing; train the model first (npm run train)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no consistent model.json and weights in ${artifacts}`);
}

/** Writes a file unless it already holds exactly these bytes (a server reading the folder never sees it half-written for nothing). */
async function writeIfChanged(file, bytes) {
  const old = await readFile(file).catch(() => null);
  if (old && Buffer.compare(old, Buffer.from(bytes)) === 0) return;
  await writeFile(file, bytes);
}

/** Writes `model` (readModel) into `dir` under its hashed and its plain names, and removes anything else there. */
export async function writeModel(model, dir) {
  await mkdir(dir, { recursive: true });
  const named = (weightsFile) =>
    JSON.stringify({ ...model.json, weightsManifest: model.json.weightsManifest.map((group) => ({ ...group, paths: [weightsFile] })) });
  const files = {
    [model.modelFile]: named(model.weightsFile),
    [model.weightsFile]: model.weights,
    'model.json': named('weights.bin'),
    'weights.bin': model.weights,
  };
  for (const [name, bytes] of Object.entries(files)) await writeIfChanged(path.join(dir, name), bytes);
  for (const name of await readdir(dir)) if (!(name in files)) await rm(path.join(dir, name), { recursive: true, force: true });
  return Object.keys(files);
}
