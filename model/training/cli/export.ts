/**
 * Export CLI: a trained model (model.json + weights) to the form the product ships, batch norm folded
 * into the convolutions (model/training/fold-batch-norm.ts) and weights stored as float16. Training already
 * saves its best model this way; this re-exports a model saved before, or a checkpoint.
 *
 *   npm run export -- --from model/checkpoints/edge/model --out model/artifacts
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldBatchNorm } from '../fold-batch-norm.js';
import { loadModelFromDir, readModelMetadata, saveModel } from '../model-files.js';
import { useBackend } from '../tfjs-node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    from: { type: 'string', default: path.join(root, 'model/artifacts') },
    out: { type: 'string', default: path.join(root, 'model/artifacts') },
    quantize: { type: 'string', default: 'float16' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    `Usage: npm run export -- [--from DIR (default model/artifacts)] [--out DIR (default model/artifacts)] [--quantize float16|none (default float16)]`,
  );
  process.exit(0);
}
if (values.quantize !== 'float16' && values.quantize !== 'none') throw new Error('--quantize must be float16 or none');

await useBackend('wasm');
const model = await loadModelFromDir(values.from);
const metadata = await readModelMetadata(values.from);
const folded = await foldBatchNorm(model);
const bytes = await saveModel(folded, values.out, {
  quantization: values.quantize,
  metadata: {
    ...metadata,
    foldedBatchNorm: true,
    exportCommand: `npm run export -- ${process.argv.slice(2).join(' ')}`.replace(/ --\s*$/, ''),
  },
});
console.log(
  `${values.from} -> ${values.out}: ${model.layers.length} layers -> ${folded.layers.length}, ${model.countParams()} parameters -> ${folded.countParams()}, weights ${(bytes / 1024).toFixed(1)} KB (${values.quantize})`,
);
